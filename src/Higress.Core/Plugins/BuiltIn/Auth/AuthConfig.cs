using System.Text.Json.Serialization;
using Higress.Core.Resources;

namespace Higress.Core.Plugins.BuiltIn.Auth;

/// <summary>
/// The fields every authentication plugin shares, with Higress's names and meaning. A plugin's config record derives
/// from it and adds its consumers.
/// </summary>
internal abstract record AuthConfig
{
    /// <summary>
    /// Higress's <c>global_auth</c>: true authenticates every route the instance applies to; false only routes a
    /// <c>matchRules</c> entry selects; unset means true when the instance has no <c>matchRules</c>, false otherwise.
    /// </summary>
    public bool? GlobalAuth { get; init; }

    /// <summary>The consumers that may pass (by name); empty lets every authenticated consumer pass.</summary>
    public EquatableArray<string> Allow { get; init; }

    /// <summary>
    /// Whether this config authenticates (derived from <see cref="GlobalAuth"/> and where the config came from): a
    /// default config with <c>global_auth: false</c> lets requests pass untouched.
    /// </summary>
    [JsonIgnore]
    public bool Enforced { get; init; } = true;
}
