using System.Text.Json;
using System.Text.Json.Serialization;

namespace Higress.Core.Resources;

/// <summary>A plugin's phase: plugins run by phase (AUTHN, AUTHZ, STATS, then unspecified), then priority.</summary>
public enum PluginPhase
{
    /// <summary>Authentication.</summary>
    [JsonStringEnumMemberName("AUTHN")]
    Authn,

    /// <summary>Authorization.</summary>
    [JsonStringEnumMemberName("AUTHZ")]
    Authz,

    /// <summary>Statistics.</summary>
    [JsonStringEnumMemberName("STATS")]
    Stats,

    /// <summary>No phase: after the others.</summary>
    [JsonStringEnumMemberName("UNSPECIFIED_PHASE")]
    Unspecified,
}
