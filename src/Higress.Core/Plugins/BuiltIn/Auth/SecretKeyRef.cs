using System.ComponentModel.DataAnnotations;

namespace Higress.Core.Plugins.BuiltIn.Auth;

/// <summary>
/// A value kept in a Kubernetes Secret in the plugin's own namespace (<c>{name, key}</c>), for credentials that
/// should not be written into the plugin config. Resolved with <see cref="PluginConfigContext.ReadSecret"/>.
/// </summary>
internal sealed record SecretKeyRef
{
    /// <summary>The Secret's name (same namespace as the plugin instance).</summary>
    [Required]
    public string Name { get; init; } = string.Empty;

    /// <summary>The key in the Secret's data.</summary>
    [Required]
    public string Key { get; init; } = string.Empty;
}
