namespace Higress.Core.Plan;

/// <summary>
/// A cluster's active health check (ServiceEntry <c>trafficPolicy.healthCheck</c>): every destination is probed with
/// <c>GET</c> <see cref="Path"/>; a 2xx answer within <see cref="Timeout"/> is a success.
/// </summary>
/// <param name="Path">The path (and query) probed.</param>
/// <param name="Interval">Time between probes.</param>
/// <param name="Timeout">How long one probe may take.</param>
/// <param name="HealthyThreshold">Successes in a row that make an unhealthy destination healthy again.</param>
/// <param name="UnhealthyThreshold">Failures in a row that make a destination unhealthy.</param>
public sealed record HealthCheckPlan(string Path, TimeSpan Interval, TimeSpan Timeout, int HealthyThreshold, int UnhealthyThreshold);
