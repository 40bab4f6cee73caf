using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>How traffic to a service is handled (Istio DestinationRule <c>TrafficPolicy</c>, plus Higress's <c>healthCheck</c>).</summary>
public sealed record TrafficPolicy
{
    /// <summary>The load-balancing algorithm.</summary>
    public LoadBalancerSettings? LoadBalancer { get; init; }

    /// <summary>Connection pool limits, Istio's <c>ConnectionPoolSettings</c> shape (loosely typed).</summary>
    public EquatableJson? ConnectionPool { get; init; }

    /// <summary>Passive health checking: eject endpoints that keep failing.</summary>
    public OutlierDetection? OutlierDetection { get; init; }

    /// <summary>TLS to the upstream.</summary>
    public ClientTlsSettings? Tls { get; init; }

    /// <summary>Active health checking.</summary>
    public HealthCheck? HealthCheck { get; init; }

    /// <summary>Per-port overrides, Istio's <c>portLevelSettings</c> shape (loosely typed).</summary>
    public EquatableArray<EquatableJson> PortLevelSettings { get; init; }
}

/// <summary>The load-balancing settings.</summary>
public sealed record LoadBalancerSettings
{
    /// <summary>ROUND_ROBIN | LEAST_REQUEST | LEAST_CONN | RANDOM | PASSTHROUGH.</summary>
    public string? Simple { get; init; }

    /// <summary>Consistent hashing (Istio <c>consistentHash</c> shape, loosely typed), used for session affinity.</summary>
    public EquatableJson? ConsistentHash { get; init; }

    /// <summary>Locality load balancing (Istio shape, loosely typed).</summary>
    public EquatableJson? LocalityLbSetting { get; init; }

    /// <summary>Slow-start ramp for new endpoints, e.g. <c>30s</c>.</summary>
    public TimeSpan? WarmupDurationSecs { get; init; }
}

/// <summary>Outlier detection (Istio <c>OutlierDetection</c>).</summary>
public sealed record OutlierDetection
{
    /// <summary>Consecutive 5xx responses before ejection.</summary>
    [Range(0, int.MaxValue)]
    public int? Consecutive5xxErrors { get; init; }

    /// <summary>Consecutive 502/503/504 or connection errors before ejection.</summary>
    [Range(0, int.MaxValue)]
    public int? ConsecutiveGatewayErrors { get; init; }

    /// <summary>How often endpoints are analysed; default 10s.</summary>
    public TimeSpan? Interval { get; init; }

    /// <summary>Minimum ejection time; default 30s.</summary>
    public TimeSpan? BaseEjectionTime { get; init; }

    /// <summary>Maximum share of endpoints ejected; default 10.</summary>
    [Range(0, 100)]
    public int? MaxEjectionPercent { get; init; }
}

/// <summary>Upstream TLS (Istio <c>ClientTLSSettings</c>).</summary>
public sealed record ClientTlsSettings
{
    /// <summary>DISABLE | SIMPLE | MUTUAL | ISTIO_MUTUAL.</summary>
    public string Mode { get; init; } = "DISABLE";

    /// <summary>The SNI to send.</summary>
    public string? Sni { get; init; }

    /// <summary>A Secret holding the client certificate, key and CA (<c>name</c> or <c>namespace/name</c>).</summary>
    public string? CredentialName { get; init; }

    /// <summary>A CA file path to verify the upstream.</summary>
    public string? CaCertificates { get; init; }

    /// <summary>A client certificate file path (MUTUAL).</summary>
    public string? ClientCertificate { get; init; }

    /// <summary>A client key file path (MUTUAL).</summary>
    public string? PrivateKey { get; init; }

    /// <summary>Names accepted in the upstream's certificate.</summary>
    public EquatableArray<string> SubjectAltNames { get; init; }

    /// <summary>Skip verifying the upstream's certificate.</summary>
    public bool InsecureSkipVerify { get; init; }
}

/// <summary>Active HTTP health checking of endpoints (Higress.Net field names).</summary>
public sealed record HealthCheck
{
    /// <summary>The path probed; default <c>/</c>.</summary>
    public string Path { get; init; } = "/";

    /// <summary>The probe interval; default 10s.</summary>
    public TimeSpan? Interval { get; init; }

    /// <summary>The probe timeout; default 2s.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Successes before an endpoint is healthy again.</summary>
    [Range(1, 100)]
    public int HealthyThreshold { get; init; } = 1;

    /// <summary>Failures before an endpoint is unhealthy.</summary>
    [Range(1, 100)]
    public int UnhealthyThreshold { get; init; } = 3;
}
