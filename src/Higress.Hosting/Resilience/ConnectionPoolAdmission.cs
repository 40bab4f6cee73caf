using Higress.Core.Plan;
using Higress.Hosting.Runtime;

namespace Higress.Hosting.Resilience;

/// <summary>
/// A cluster's circuit breaker for requests in flight (ServiceEntry <c>connectionPool</c>, Envoy's overflow): a
/// request beyond the limit is refused at once, never queued. The limit counts per cluster, as Envoy does, whatever
/// the number of destinations: <c>http2MaxRequests</c> for any protocol, and for HTTP/1.1 upstreams, where each
/// request in flight holds a connection, <c>maxConnections</c> plus <c>http1MaxPendingRequests</c> (requests beyond
/// the connections wait in the pool, up to that many). One lock-free counter serves both: they count the same requests.
/// </summary>
internal sealed class ConnectionPoolAdmission : IClusterAdmission
{
    private readonly HigressMetrics _metrics;
    private int _inFlight;

    private ConnectionPoolAdmission(int limit, string limitName, string clusterId, HigressMetrics metrics)
    {
        Limit = limit;
        LimitName = limitName;
        ClusterId = clusterId;
        _metrics = metrics;
    }

    /// <summary>The cluster this admission guards.</summary>
    public string ClusterId { get; }

    /// <summary>The most requests in flight to the cluster.</summary>
    public int Limit { get; }

    /// <summary>The field that sets <see cref="Limit"/> (the overflow counter's <c>limit</c> label).</summary>
    public string LimitName { get; }

    /// <summary>Requests admitted and not yet done.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The admission for <paramref name="cluster"/>, or null when its pool sets no request limit.</summary>
    public static ConnectionPoolAdmission? For(ClusterPlan cluster, HigressMetrics metrics)
    {
        if (cluster.ConnectionPool is not { } pool)
        {
            return null;
        }

        // Istio's default for an unset limit is 2^32-1: with only maxConnections set, requests queue without bound.
        long? queue = cluster.Protocol != UpstreamProtocol.Http2 && pool is { MaxConnections: { } connections, MaxPendingRequests: { } pending }
            ? (long)connections + pending
            : null;
        return (pool.MaxRequests, queue) switch
        {
            ({ } requests, { } q) when q < requests => new((int)Math.Min(q, int.MaxValue), "http1MaxPendingRequests", cluster.Id, metrics),
            ({ } requests, _) => new(requests, "http2MaxRequests", cluster.Id, metrics),
            (null, { } q) => new((int)Math.Min(q, int.MaxValue), "http1MaxPendingRequests", cluster.Id, metrics),
            _ => null,
        };
    }

    public bool TryEnter()
    {
        var current = Volatile.Read(ref _inFlight);
        while (current < Limit)
        {
            var seen = Interlocked.CompareExchange(ref _inFlight, current + 1, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        _metrics.UpstreamOverflow(ClusterId, LimitName);
        return false;
    }

    public void Exit() => Interlocked.Decrement(ref _inFlight);
}
