using Higress.Core.Balancing;
using Higress.Core.Plan;
using Higress.Core.Plugins;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Higress.Hosting.FastPath;

/// <summary>
/// Which requests the fast path forwards. Most of the answer is fixed when a plan is applied (a rule's and a cluster's
/// features); per request only the protocol and the headers that ask for something the fast path does not do are
/// checked. Everything not eligible goes through YARP, which supports it all.
/// </summary>
internal static class FastPathEligibility
{
    /// <summary>
    /// Whether a rule may use the fast path: no plugin that acts on responses (a response handler may read the
    /// upstream's response, which only YARP's path holds as an <c>HttpResponseMessage</c>; request-only plugins such as
    /// the authentication ones run the same on both paths) and no retries (the retry policy drives HttpClient tries).
    /// </summary>
    public static bool ForRule(RoutePlan route, PluginChain plugins) => !plugins.HandlesResponses && route.Retry is null;

    /// <summary>
    /// Whether a cluster may use the fast path: plain HTTP/1.1 destinations, no outlier detection (a passive health
    /// policy fed by YARP), no connection limit (HttpClient queues requests over it), and a load-balancing policy that
    /// does not count requests in flight (YARP counts them inside its forwarder).
    /// </summary>
    public static bool ForCluster(ClusterPlan cluster) =>
        cluster.Protocol == UpstreamProtocol.Http1
        && cluster.OutlierDetection is null
        && cluster.ConnectionPool?.MaxConnections is null
        && cluster.LoadBalancing is not ("LeastRequests" or "PowerOfTwoChoices" or BalancerNames.WeightedLeastRequest)
        && cluster.Destinations.Count > 0
        && cluster.Destinations.All(d => d.Address.StartsWith("http://", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Whether this request may use the fast path: HTTP/1.1 from the client, no upgrade, no <c>Expect</c>, no trailers
    /// announced, and a declared body within the body limit (YARP answers the 413). A gateway span is propagated by the
    /// fast path itself (<see cref="RequestHead"/>).
    /// </summary>
    public static bool ForRequest(HttpContext context)
    {
        var request = context.Request;
        if (!HttpProtocol.IsHttp11(request.Protocol)
            || context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true }
            || context.Features.Get<Resilience.UpstreamBody>() is not null
            || (request.ContentLength is { } length && context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize is { } max && length > max))
        {
            return false;
        }

        var headers = request.Headers;
        return !headers.ContainsKey(HeaderNames.Upgrade) && !headers.ContainsKey(HeaderNames.Expect)
            && !headers.ContainsKey(HeaderNames.Trailer) && !headers.ContainsKey(HeaderNames.TE);
    }
}
