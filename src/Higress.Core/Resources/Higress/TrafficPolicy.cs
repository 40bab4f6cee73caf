namespace Higress.Core.Resources;

/// <summary>How traffic to a service is handled (Istio DestinationRule <c>TrafficPolicy</c>, plus Higress's <c>healthCheck</c>).</summary>
public sealed record TrafficPolicy
{
    /// <summary>The load-balancing algorithm.</summary>
    public LoadBalancerSettings? LoadBalancer { get; init; }

    /// <summary>Connection-pool limits and circuit breaking.</summary>
    public ConnectionPoolSettings? ConnectionPool { get; init; }

    /// <summary>Passive health checking: eject endpoints that keep failing.</summary>
    public OutlierDetection? OutlierDetection { get; init; }

    /// <summary>TLS to the upstream.</summary>
    public ClientTlsSettings? Tls { get; init; }

    /// <summary>Active health checking.</summary>
    public HealthCheck? HealthCheck { get; init; }

    /// <summary>Per-port overrides, Istio's <c>portLevelSettings</c> shape (loosely typed).</summary>
    public EquatableArray<EquatableJson> PortLevelSettings { get; init; }
}
