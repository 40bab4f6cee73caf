using Higress.Core.Resources;

namespace Higress.Core.Plan;

/// <summary>One routing rule, ready for the matcher.</summary>
/// <param name="Id">Unique id, e.g. <c>HTTPRoute/default/web/rules/0</c>.</param>
/// <param name="Source">The object the rule came from.</param>
/// <param name="RuleName">The rule's name, if it has one.</param>
/// <param name="Order">Tie-breakers for precedence.</param>
/// <param name="Attachments">The listeners the rule attached to.</param>
/// <param name="Matches">The matches (any one suffices).</param>
/// <param name="Action">What to do when matched.</param>
public sealed record RoutePlan(
    string Id,
    ResourceKey Source,
    string? RuleName,
    RouteOrder Order,
    EquatableArray<RouteAttachment> Attachments,
    EquatableArray<RouteMatch> Matches,
    RouteAction Action)
{
    /// <summary>Request header edits applied before forwarding.</summary>
    public HeaderModifier RequestHeaders { get; init; } = HeaderModifier.None;

    /// <summary>Response header edits applied before the response is sent.</summary>
    public HeaderModifier ResponseHeaders { get; init; } = HeaderModifier.None;

    /// <summary>Upstream path and host rewrite.</summary>
    public UrlRewrite? Rewrite { get; init; }

    /// <summary>The plugin instances that run for this rule, in execution order.</summary>
    public EquatableArray<PluginBinding> Plugins { get; init; } = EquatableArray<PluginBinding>.Empty;

    /// <summary>The whole-request timeout (native <c>timeout</c>, HTTPRoute <c>timeouts.request</c>), or null for none.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The timeout of one backend call (HTTPRoute <c>timeouts.backendRequest</c>), or null for none.</summary>
    public TimeSpan? BackendTimeout { get; init; }

    /// <summary>The retry policy, or null when the rule does not retry.</summary>
    public RetryPlan? Retry { get; init; }

    /// <summary>Fault injection, or null for none.</summary>
    public FaultPlan? Fault { get; init; }

    /// <summary>The mirrors requests are copied to (native <c>mirror</c>, HTTPRoute <c>RequestMirror</c>); empty for none.</summary>
    public EquatableArray<MirrorPlan> Mirrors { get; init; } = EquatableArray<MirrorPlan>.Empty;

    /// <summary>The local rate limit, or null when the rule is not rate limited.</summary>
    public RateLimitPlan? RateLimit { get; init; }

    /// <summary>The largest request body in bytes, overriding the host's limit; null = the host's limit.</summary>
    public long? MaxRequestBodySize { get; init; }
}
