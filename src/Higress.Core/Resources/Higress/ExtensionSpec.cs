using System.Text.Json;
using System.Text.Json.Serialization;
using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>The spec of an <see cref="Extension"/>.</summary>
public sealed record ExtensionSpec
{
    /// <summary>The plugin name, e.g. <c>jwt-auth</c>; when absent see <see cref="PluginName"/>.</summary>
    public string? Plugin { get; init; }

    /// <summary>authentication | authorization | rate-limit | transformation | observability | custom.</summary>
    public ExtensionType? Type { get; init; }

    /// <summary>The plugin's config (Higress field names, snake_case).</summary>
    public EquatableJson? Config { get; init; }

    /// <summary>AUTHN | AUTHZ | STATS | UNSPECIFIED_PHASE (default).</summary>
    public PluginPhase Phase { get; init; } = PluginPhase.Unspecified;

    /// <summary>Order inside a phase: higher runs first.</summary>
    public int Priority { get; init; }

    /// <summary>FAIL_CLOSE (default) | FAIL_OPEN when the plugin itself errors.</summary>
    public FailStrategy FailStrategy { get; init; } = FailStrategy.FailClose;

    /// <summary>What the plugin applies to (<c>kind: Route</c> or <c>Gateway</c>); none = every route in the namespace.</summary>
    public EquatableArray<PolicyTargetReference> TargetRefs { get; init; }

    /// <summary>Per route / domain config overrides.</summary>
    public EquatableArray<ExtensionMatchRule> MatchRules { get; init; }

    /// <summary>
    /// The effective plugin name: <see cref="Plugin"/>, else the single key of <see cref="Config"/> with <c>-auth</c>
    /// added for authentication (<c>jwt</c> → <c>jwt-auth</c>), else the key itself; null when it cannot be inferred.
    /// </summary>
    [JsonIgnore]
    public string? PluginName
    {
        get
        {
            if (!string.IsNullOrEmpty(Plugin))
            {
                return Plugin;
            }

            if (Config is not { Element.ValueKind: JsonValueKind.Object } config)
            {
                return null;
            }

            var keys = config.Element.EnumerateObject().Select(p => p.Name).Take(2).ToArray();
            if (keys.Length != 1)
            {
                return null;
            }

            var key = keys[0].Replace('_', '-');
            return Type == ExtensionType.Authentication && !key.EndsWith("-auth", StringComparison.Ordinal) ? key + "-auth" : key;
        }
    }
}

/// <summary>The category of an Extension's plugin.</summary>
public enum ExtensionType
{
    /// <summary>Authentication (jwt-auth, key-auth, basic-auth...).</summary>
    [JsonStringEnumMemberName("authentication")]
    Authentication,

    /// <summary>Authorization.</summary>
    [JsonStringEnumMemberName("authorization")]
    Authorization,

    /// <summary>Rate limiting.</summary>
    [JsonStringEnumMemberName("rate-limit")]
    RateLimit,

    /// <summary>Request/response transformation.</summary>
    [JsonStringEnumMemberName("transformation")]
    Transformation,

    /// <summary>Logging, metrics, tracing.</summary>
    [JsonStringEnumMemberName("observability")]
    Observability,

    /// <summary>Anything else.</summary>
    [JsonStringEnumMemberName("custom")]
    Custom,
}

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

/// <summary>What happens when a plugin itself fails.</summary>
public enum FailStrategy
{
    /// <summary>Fail the request.</summary>
    [JsonStringEnumMemberName("FAIL_CLOSE")]
    FailClose,

    /// <summary>Skip the plugin.</summary>
    [JsonStringEnumMemberName("FAIL_OPEN")]
    FailOpen,
}

/// <summary>A reference to a policy target (Gateway API <c>PolicyTargetReference</c>).</summary>
public sealed record PolicyTargetReference
{
    /// <summary>The group; default the kind's own (<c>networking.higress.io</c> for Route and Gateway).</summary>
    public string? Group { get; init; }

    /// <summary>The kind: <c>Route</c>, <c>Gateway</c>, <c>HTTPRoute</c>...</summary>
    [Required]
    public string Kind { get; init; } = string.Empty;

    /// <summary>The name.</summary>
    [Required]
    public string Name { get; init; } = string.Empty;

    /// <summary>The namespace; default the Extension's.</summary>
    public string? Namespace { get; init; }
}

/// <summary>A config override for some routes or domains.</summary>
public sealed record ExtensionMatchRule
{
    /// <summary>Routes (<c>name</c> or <c>namespace/name</c>).</summary>
    public EquatableArray<string> Route { get; init; }

    /// <summary>Domains (wildcards allowed).</summary>
    public EquatableArray<string> Domain { get; init; }

    /// <summary>The config used for matching requests.</summary>
    public EquatableJson? Config { get; init; }

    /// <summary>Disable the plugin for matching requests.</summary>
    public bool ConfigDisable { get; init; }
}
