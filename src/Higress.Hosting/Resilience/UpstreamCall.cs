using Higress.Hosting.Runtime;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Model;

namespace Higress.Hosting.Resilience;

/// <summary>
/// One forwarded request as the upstream handler sees it: the rule and cluster it belongs to, the destination YARP's
/// load balancer chose, and YARP's view of the cluster a retry may move within. Attached to the outgoing
/// <see cref="HttpRequestMessage"/> by the request transform, and only when the rule or the cluster has something to
/// do per try (retries, outlier detection), so that a plain route allocates nothing for it.
/// </summary>
internal sealed class UpstreamCall
{
    /// <summary>Where the call rides on the outgoing request.</summary>
    public static readonly HttpRequestOptionsKey<UpstreamCall> Key = new("Higress.UpstreamCall");

    public UpstreamCall(HttpContext httpContext, HigressRouteFeature route, ClusterRuntime cluster, IReverseProxyFeature proxy)
    {
        HttpContext = httpContext;
        Route = route;
        Cluster = cluster;
        Proxy = proxy;
        Destination = proxy.ProxiedDestination;
    }

    public HttpContext HttpContext { get; }

    /// <summary>The matched rule (its runtime holds the retry policy).</summary>
    public HigressRouteFeature Route { get; }

    /// <summary>The cluster's long-lived policies (outlier detection, budgets, counters).</summary>
    public ClusterRuntime Cluster { get; }

    /// <summary>
    /// YARP's view of the request. Its <c>AvailableDestinations</c> is narrowed by the load balancer to the one it chose;
    /// a retry looks for other destinations in <c>Route.Cluster.DestinationsState</c>.
    /// </summary>
    public IReverseProxyFeature Proxy { get; }

    /// <summary>The destination the current try goes to; YARP's choice for the first try.</summary>
    public DestinationState? Destination { get; private set; }

    /// <summary>
    /// The request body, read into memory before forwarding because it fitted the retry buffer; null when the
    /// request has no body or its body is streamed (then it cannot be sent twice).
    /// </summary>
    public ReadOnlyMemory<byte>? BufferedBody { get; set; }

    /// <summary>Tries made so far (1 after the first send).</summary>
    public int Tries { get; set; }

    /// <summary>
    /// Points <paramref name="request"/> at <paramref name="destination"/>, keeping the path and query YARP built (and
    /// the transforms rewrote) for the first destination.
    /// </summary>
    public void Retarget(HttpRequestMessage request, DestinationState destination)
    {
        if (ReferenceEquals(destination, Destination) || request.RequestUri is not { } uri)
        {
            Destination = destination;
            return;
        }

        var suffix = uri.PathAndQuery;
        if (Destination?.Model.Config.Address is { } current)
        {
            var prefix = current.TrimEnd('/');
            if (uri.OriginalString.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                suffix = uri.OriginalString[prefix.Length..];
            }
        }

        request.RequestUri = new Uri(destination.Model.Config.Address.TrimEnd('/') + suffix, UriKind.Absolute);
        Destination = destination;
    }
}

/// <summary>
/// A request body read into memory before forwarding (it fitted the retry buffer), set as an
/// <see cref="HttpContext"/> feature by whoever read it so that each try can send a copy.
/// </summary>
/// <param name="Content">The whole body.</param>
internal sealed record UpstreamBody(ReadOnlyMemory<byte> Content);
