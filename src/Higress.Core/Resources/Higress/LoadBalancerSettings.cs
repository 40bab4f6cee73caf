namespace Higress.Core.Resources;

/// <summary>The load-balancing settings.</summary>
public sealed record LoadBalancerSettings
{
    /// <summary>ROUND_ROBIN (default) | LEAST_REQUEST | LEAST_CONN (same as LEAST_REQUEST) | RANDOM; PASSTHROUGH is refused.</summary>
    public string? Simple { get; init; }

    /// <summary>Consistent hashing (Istio <c>consistentHash</c> shape, loosely typed), used for session affinity.</summary>
    public EquatableJson? ConsistentHash { get; init; }

    /// <summary>Locality load balancing (Istio shape, loosely typed).</summary>
    public EquatableJson? LocalityLbSetting { get; init; }

    /// <summary>Slow-start ramp for new endpoints, e.g. <c>30s</c>.</summary>
    public TimeSpan? WarmupDurationSecs { get; init; }
}
