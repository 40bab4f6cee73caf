using Higress.Core.Plan;
using Higress.Core.Policies;
using Higress.Hosting.Runtime;

namespace Higress.Hosting.Resilience;

/// <summary>Makes each cluster's <see cref="ConnectionPoolAdmission"/> (null for a cluster without request limits).</summary>
internal sealed class ConnectionPoolPolicyFactory(HigressMetrics metrics) : IClusterPolicyFactory
{
    /// <summary>The policy's name in <see cref="ClusterRuntime.Policy"/>.</summary>
    public const string PolicyName = "connection-pool";

    public string Name => PolicyName;

    public object? Create(ClusterPlan cluster) => ConnectionPoolAdmission.For(cluster, metrics);
}
