namespace Higress.Core.Plan;

/// <summary>A mirror of a forwarding rule: a share of its requests is copied to another cluster, fire and forget.</summary>
/// <param name="ClusterId">The cluster the copies go to.</param>
/// <param name="Percent">The share of requests copied, 0..100.</param>
public sealed record MirrorPlan(string ClusterId, double Percent);
