using Higress.Core.Balancing;
using Higress.Core.Plan;
using Higress.Core.Resources;

namespace Higress.Core.Translation;

/// <summary>Turns a ServiceEntry's traffic policy into the parts of a <see cref="ClusterPlan"/>, one field group each.</summary>
internal static class TrafficPolicies
{
    /// <summary>The policy in force for a subset: each top-level field of the subset's policy replaces the service's.</summary>
    public static TrafficPolicy? Effective(TrafficPolicy? service, TrafficPolicy? subset) => (service, subset) switch
    {
        (null, _) => subset,
        (_, null) => service,
        _ => new TrafficPolicy
        {
            LoadBalancer = subset.LoadBalancer ?? service.LoadBalancer,
            ConnectionPool = subset.ConnectionPool ?? service.ConnectionPool,
            OutlierDetection = subset.OutlierDetection ?? service.OutlierDetection,
            Tls = subset.Tls ?? service.Tls,
            HealthCheck = subset.HealthCheck ?? service.HealthCheck,
            PortLevelSettings = subset.PortLevelSettings.IsEmpty ? service.PortLevelSettings : subset.PortLevelSettings,
        },
    };

    /// <summary>The connection-pool limits, or null when none is set.</summary>
    public static ConnectionPoolPlan? ConnectionPool(ConnectionPoolSettings? settings)
    {
        if (settings is null)
        {
            return null;
        }

        var plan = new ConnectionPoolPlan(
            settings.Tcp?.MaxConnections,
            settings.Http?.Http1MaxPendingRequests,
            settings.Http?.Http2MaxRequests,
            settings.Http?.MaxRequestsPerConnection is > 0 and var perConnection ? perConnection : null,
            settings.Http?.MaxRetries,
            settings.Http?.IdleTimeout ?? settings.Tcp?.IdleTimeout,
            settings.Tcp?.ConnectTimeout,
            settings.Tcp?.MaxConnectionDuration);
        return plan == new ConnectionPoolPlan() ? null : plan;
    }

    /// <summary>
    /// The YARP policy that balances <paramref name="destinations"/>: the consistent hash when one is set, else the
    /// simple algorithm, in its weighted form when the endpoints' weights differ.
    /// </summary>
    public static string Balancing(LoadBalancerSettings? settings, IReadOnlyList<DestinationPlan> destinations)
    {
        if (settings?.ConsistentHash is not null)
        {
            return BalancerNames.ConsistentHash;
        }

        var simple = ServiceEntryChecks.LoadBalancing(settings?.Simple) ?? "RoundRobin";
        return destinations.Select(d => d.Weight).Distinct().Skip(1).Any() ? BalancerNames.Weighted(simple) : simple;
    }

    /// <summary>The consistent hash, or null when none is set (the parser has checked that exactly one key is).</summary>
    public static ConsistentHashPlan? ConsistentHash(ConsistentHashSettings? settings)
    {
        if (settings is null)
        {
            return null;
        }

        var (source, name) = settings switch
        {
            { HttpHeaderName: { } header } => (HashKeySource.Header, header),
            { HttpCookie: { } cookie } => (HashKeySource.Cookie, cookie.Name),
            { HttpQueryParameterName: { } query } => (HashKeySource.QueryParameter, query),
            _ => (HashKeySource.SourceIp, string.Empty),
        };
        var maglev = settings.Maglev is not null;
        var size = maglev
            ? settings.Maglev!.TableSize ?? ConsistentHashPlan.DefaultMaglevSize
            : settings.RingHash?.MinimumRingSize ?? settings.MinimumRingSize ?? ConsistentHashPlan.DefaultRingSize;
        return new ConsistentHashPlan(source, name, maglev, size)
        {
            CookiePath = settings.HttpCookie?.Path,
            CookieTtl = settings.HttpCookie?.Ttl is { } ttl && ttl > TimeSpan.Zero ? ttl : null,
        };
    }

    /// <summary>
    /// Outlier detection with Istio's defaults (consecutive5xxErrors 5, gateway errors off, interval 10s,
    /// baseEjectionTime 30s, maxEjectionPercent 10), or null when none is set or every trigger is 0.
    /// </summary>
    public static OutlierPlan? Outlier(OutlierDetection? settings)
    {
        if (settings is null)
        {
            return null;
        }

        var plan = new OutlierPlan(
            (settings.Consecutive5xxErrors ?? 5) is > 0 and var errors ? errors : null,
            settings.ConsecutiveGatewayErrors is > 0 and var gateway ? gateway : null,
            settings.Interval ?? TimeSpan.FromSeconds(10),
            settings.BaseEjectionTime ?? TimeSpan.FromSeconds(30),
            settings.MaxEjectionPercent ?? 10);
        return plan.Consecutive5xxErrors is null && plan.ConsecutiveGatewayErrors is null ? null : plan;
    }

    /// <summary>The active health check with its defaults (interval 10s, timeout 2s), or null when none is set.</summary>
    public static HealthCheckPlan? HealthCheck(HealthCheck? settings) => settings is null
        ? null
        : new HealthCheckPlan(settings.Path, settings.Interval ?? TimeSpan.FromSeconds(10), settings.Timeout ?? TimeSpan.FromSeconds(2), settings.HealthyThreshold, settings.UnhealthyThreshold);
}
