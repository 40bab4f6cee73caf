using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>One HTTP rule (Istio <c>HTTPRoute</c>): match, then route / redirect / direct response, with policies.</summary>
public sealed record RouteRule
{
    /// <summary>The rule's name (optional, for status and logs).</summary>
    public string? Name { get; init; }

    /// <summary>Match conditions: OR across items, AND inside one; none = match everything.</summary>
    public EquatableArray<RouteMatch> Match { get; init; }

    /// <summary>Weighted destinations.</summary>
    public EquatableArray<RouteDestination> Route { get; init; }

    /// <summary>A canary that takes a share of the requests (by header, cookie or weight) from <see cref="Route"/>.</summary>
    public RouteCanary? Canary { get; init; }

    /// <summary>Rewrites the path and/or authority before forwarding.</summary>
    public HttpRewrite? Rewrite { get; init; }

    /// <summary>Answers with a redirect instead of forwarding.</summary>
    public HttpRedirect? Redirect { get; init; }

    /// <summary>Answers with a fixed response instead of forwarding.</summary>
    public HttpDirectResponse? DirectResponse { get; init; }

    /// <summary>Header changes for every destination of the rule.</summary>
    public HeaderOperations? Headers { get; init; }

    /// <summary>Copies requests to this destination (fire and forget).</summary>
    public Destination? Mirror { get; init; }

    /// <summary>The share of requests mirrored; default 100 when <c>mirror</c> is set.</summary>
    public Percent? MirrorPercentage { get; init; }

    /// <summary>The retry policy.</summary>
    public HttpRetry? Retries { get; init; }

    /// <summary>The whole-request timeout, e.g. <c>10s</c>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The CORS policy.</summary>
    public CorsPolicy? CorsPolicy { get; init; }

    /// <summary>Fault injection (delay and/or abort).</summary>
    public FaultInjection? Fault { get; init; }

    /// <summary>A local rate limit for the rule.</summary>
    public RouteRateLimit? RateLimit { get; init; }

    /// <summary>
    /// The ASP.NET Core authorization policy that requests of this rule must satisfy (a Higress.Net field, as YARP's
    /// route <c>AuthorizationPolicy</c>): a policy name, <c>default</c> or <c>anonymous</c>. Runs as the
    /// <c>aspnet-authorization</c> plugin in the AUTHZ phase.
    /// </summary>
    public string? AuthorizationPolicy { get; init; }

    /// <summary>Inline plugin instances for this rule.</summary>
    public EquatableArray<InlinePlugin> Plugins { get; init; }

    /// <summary>
    /// The largest request body in bytes for this rule, overriding the host's <c>Higress:Limits:MaxRequestBodySize</c>
    /// (a Higress.Net field; Istio and Higress have none).
    /// </summary>
    [Range(0, long.MaxValue)]
    public long? MaxRequestBodySize { get; init; }
}
