using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>One endpoint of a ServiceEntry (Istio <c>WorkloadEntry</c>).</summary>
public sealed record WorkloadEntry
{
    /// <summary>An IP address or hostname (required).</summary>
    [Required]
    public string Address { get; init; } = string.Empty;

    /// <summary>Per port-name overrides of the target port.</summary>
    public EquatableMap<int> Ports { get; init; }

    /// <summary>Labels, used by subsets.</summary>
    public EquatableMap<string> Labels { get; init; }

    /// <summary>The load-balancing weight (≥ 0, default 1): the endpoint's share of traffic, and of a hash ring's entries.</summary>
    [Range(0, int.MaxValue)]
    public int? Weight { get; init; }

    /// <summary>The endpoint's locality (<c>region/zone/subzone</c>).</summary>
    public string? Locality { get; init; }
}
