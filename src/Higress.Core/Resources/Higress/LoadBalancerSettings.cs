namespace Higress.Core.Resources;

/// <summary>The load-balancing settings.</summary>
public sealed record LoadBalancerSettings
{
    /// <summary>ROUND_ROBIN (default) | LEAST_REQUEST | LEAST_CONN (same as LEAST_REQUEST) | RANDOM; PASSTHROUGH is refused.</summary>
    public string? Simple { get; init; }

    /// <summary>Consistent hashing on a header, cookie, source IP or query parameter; replaces <c>simple</c>.</summary>
    public ConsistentHashSettings? ConsistentHash { get; init; }

    /// <summary>Locality load balancing (Istio shape, loosely typed).</summary>
    public EquatableJson? LocalityLbSetting { get; init; }

    /// <summary>Slow-start ramp for new endpoints, e.g. <c>30s</c>.</summary>
    public TimeSpan? WarmupDurationSecs { get; init; }
}
