namespace Higress.Core.Translation.Plugins;

/// <summary>
/// One configuration of a plugin instance (its default config or a match rule's), parsed once per plan.
/// <see cref="Disabled"/> variants switch the plugin off where they apply (<c>configDisable</c>).
/// <see cref="InvalidConfig"/>: the plugin is known but this config is not valid; the binding is still made (unparsed) so
/// that the runtime can keep the instance's last good config serving, or fail closed when there is none.
/// </summary>
internal sealed record PluginVariant(string ConfigJson, object? Config, string? Problem, bool Disabled, bool InvalidConfig = false)
{
    public static PluginVariant Off { get; } = new("{}", null, null, true);

    /// <summary>Fingerprints of the Secret values the config read, or null; part of the binding's identity.</summary>
    public string? SecretsVersion { get; init; }

    public bool IsUsable => !Disabled && Problem is null;
}
