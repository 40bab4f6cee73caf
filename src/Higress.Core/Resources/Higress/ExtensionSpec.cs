using System.Text.Json;
using System.Text.Json.Serialization;

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
