namespace Higress.Core.Plan;

/// <summary>
/// A cluster's outlier detection (ServiceEntry <c>trafficPolicy.outlierDetection</c>, Istio's meaning and defaults):
/// a destination that fails so many times in a row is ejected for <see cref="BaseEjectionTime"/> times the number of
/// times it was ejected.
/// </summary>
/// <param name="Consecutive5xxErrors">5xx answers (and connection errors) in a row that eject; null = off.</param>
/// <param name="ConsecutiveGatewayErrors">502/503/504 answers and connection errors in a row that eject; null = off.</param>
/// <param name="Interval">How often the ejection multiplier of a destination back in service decreases by one.</param>
/// <param name="BaseEjectionTime">The first ejection's length.</param>
/// <param name="MaxEjectionPercent">Destinations are ejected only while the ejected share is below this.</param>
public sealed record OutlierPlan(
    int? Consecutive5xxErrors,
    int? ConsecutiveGatewayErrors,
    TimeSpan Interval,
    TimeSpan BaseEjectionTime,
    int MaxEjectionPercent);
