using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

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
