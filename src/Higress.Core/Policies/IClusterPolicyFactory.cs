using Higress.Core.Plan;

namespace Higress.Core.Policies;

/// <summary>
/// Creates a cluster's long-lived policy object (a circuit breaker, an outlier detector, a health monitor). The
/// runtime asks every registered factory once per cluster when a plan is applied; the object is kept across reloads
/// while the cluster's plan is unchanged and replaced (the old one disposed) when it changed.
/// </summary>
public interface IClusterPolicyFactory
{
    /// <summary>The policy's name, unique among the factories, e.g. <c>circuit-breaker</c>.</summary>
    string Name { get; }

    /// <summary>Creates the policy of <paramref name="cluster"/>, or returns null when the cluster needs none.</summary>
    /// <param name="cluster">The cluster as the new plan has it.</param>
    /// <returns>The policy object, or null.</returns>
    object? Create(ClusterPlan cluster);
}
