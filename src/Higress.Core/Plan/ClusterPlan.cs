using Higress.Core.Resources;

namespace Higress.Core.Plan;

/// <summary>An upstream cluster: a service port (optionally a subset) and its endpoints.</summary>
/// <param name="Id">Unique id, e.g. <c>default/my-service:80</c>.</param>
/// <param name="Service">The Service or ServiceEntry the cluster comes from.</param>
/// <param name="Destinations">The endpoints.</param>
/// <param name="Protocol">Upstream protocol.</param>
/// <param name="LoadBalancing">YARP load-balancing policy name.</param>
public sealed record ClusterPlan(
    string Id,
    ResourceKey Service,
    EquatableArray<DestinationPlan> Destinations,
    UpstreamProtocol Protocol = UpstreamProtocol.Http1,
    string LoadBalancing = "RoundRobin")
{
    /// <summary>
    /// The TLS the gateway originates toward the endpoints; set exactly when <see cref="Protocol"/> is
    /// <see cref="UpstreamProtocol.Https"/> or <see cref="UpstreamProtocol.Http2Tls"/>.
    /// </summary>
    public UpstreamTlsPlan? Tls { get; init; }

    /// <summary>Connection-pool limits and circuit breaking, or null for none.</summary>
    public ConnectionPoolPlan? ConnectionPool { get; init; }

    /// <summary>The consistent hash that picks destinations, or null; <see cref="LoadBalancing"/> names its policy.</summary>
    public ConsistentHashPlan? ConsistentHash { get; init; }
    /// <summary>Outlier detection (ejection of destinations that keep failing), or null for none.</summary>
    public OutlierPlan? OutlierDetection { get; init; }

    /// <summary>Active health checking of the destinations, or null for none.</summary>
    public HealthCheckPlan? HealthCheck { get; init; }
}
