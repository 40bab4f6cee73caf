using Higress.Core.Plan;
using Higress.Core.Plugins;
using Higress.Core.Routing;
using Higress.Hosting.RateLimiting;
using Higress.Hosting.Resilience;

namespace Higress.Hosting.Runtime;

/// <summary>What a rule needs at request time beyond its plan: built once per plan.</summary>
internal sealed class RouteRuntime(RoutePlan route, PluginChain plugins) : IDisposable
{
    public RoutePlan Route { get; } = route;

    public PluginChain Plugins { get; } = plugins;

    /// <summary>
    /// The deadline of the forwarding call, or null for YARP's own activity timeout alone. Without retries it is the
    /// tighter of the request and backend-call timeouts (one backend call per request, so both bound the same call);
    /// with retries the backend-call timeout bounds each try instead, and the request timeout bounds them all.
    /// </summary>
    public TimeSpan? Timeout { get; } = (route.Timeout, route.Retry is null ? route.BackendTimeout : null) switch
    {
        ({ } request, { } backend) => request < backend ? request : backend,
        (var request, var backend) => request ?? backend,
    };

    /// <summary>The rule's retry policy, run by the upstream handler; null when the rule does not retry.</summary>
    public IUpstreamRetry? Retry { get; init; }

    /// <summary>The rule's local rate limiter; null when the rule has no <c>rateLimit</c>.</summary>
    public RouteRateLimiter? RateLimiter { get; init; }

    /// <summary>Whether the rule may use the HTTP/1.1 fast path (decided once per plan; see FastPathEligibility).</summary>
    public bool FastPath { get; } = Higress.Hosting.FastPath.FastPathEligibility.ForRule(route, plugins);

    public BackendPicker? Backends { get; } = route.Action is ForwardAction forward ? new BackendPicker(forward) : null;

    public void Dispose() => RateLimiter?.Dispose();
}
