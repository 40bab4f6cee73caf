using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>Outlier detection (Istio <c>OutlierDetection</c>).</summary>
public sealed record OutlierDetection
{
    /// <summary>Consecutive 5xx responses (or connection errors) before ejection; default 5, 0 turns it off.</summary>
    [Range(0, int.MaxValue)]
    public int? Consecutive5xxErrors { get; init; }

    /// <summary>Consecutive 502/503/504 or connection errors before ejection; off unless set (0 = off).</summary>
    [Range(0, int.MaxValue)]
    public int? ConsecutiveGatewayErrors { get; init; }

    /// <summary>How often the ejection multiplier of endpoints back in service decays; default 10s.</summary>
    public TimeSpan? Interval { get; init; }

    /// <summary>Ejection time, multiplied by the number of times the endpoint was ejected; default 30s.</summary>
    public TimeSpan? BaseEjectionTime { get; init; }

    /// <summary>Endpoints are ejected only while the ejected share is below this percentage; default 10.</summary>
    [Range(0, 100)]
    public int? MaxEjectionPercent { get; init; }

    /// <summary>The healthy share below which outlier detection stops (Envoy's panic threshold).</summary>
    [Range(0, 100)]
    public int? MinHealthPercent { get; init; }

    /// <summary>Count local-origin failures (connect errors, resets, timeouts) apart from upstream answers.</summary>
    public bool? SplitExternalLocalOriginErrors { get; init; }

    /// <summary>Consecutive local-origin failures before ejection, with <c>splitExternalLocalOriginErrors</c>.</summary>
    [Range(0, int.MaxValue)]
    public int? ConsecutiveLocalOriginFailures { get; init; }
}
