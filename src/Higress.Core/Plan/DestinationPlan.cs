namespace Higress.Core.Plan;

/// <summary>One upstream address.</summary>
/// <param name="Id">Unique within the cluster.</param>
/// <param name="Address">Absolute base address, e.g. <c>http://10.0.0.5:8080</c>.</param>
/// <param name="Weight">Relative weight for load balancing.</param>
public sealed record DestinationPlan(string Id, string Address, int Weight = 1);
