using Higress.Core.Plan;
using Higress.Core.Policies;

namespace Higress.Hosting.Balancing;

/// <summary>Makes a <see cref="ClusterBalancer"/> for each cluster balanced by one of the gateway's own policies.</summary>
internal sealed class ClusterBalancerFactory : IClusterPolicyFactory
{
    public const string PolicyName = "balancer";

    public string Name => PolicyName;

    public object? Create(ClusterPlan cluster) =>
        cluster.LoadBalancing.StartsWith("Higress.", StringComparison.Ordinal) ? new ClusterBalancer(cluster) : null;
}
