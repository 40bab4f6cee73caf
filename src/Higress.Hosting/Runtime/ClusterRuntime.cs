using System.Collections.Frozen;
using Higress.Core.Plan;
using Higress.Core.Policies;

namespace Higress.Hosting.Runtime;

/// <summary>
/// A cluster's long-lived policy objects, one per <see cref="IClusterPolicyFactory"/> that made one. Kept across
/// reloads (through the <see cref="PolicyStateStore"/>) while the cluster's plan is unchanged.
/// </summary>
internal sealed class ClusterRuntime : IDisposable
{
    private readonly FrozenDictionary<string, object> _policies;

    public ClusterRuntime(ClusterPlan cluster, IEnumerable<IClusterPolicyFactory> factories)
    {
        Cluster = cluster;
        var policies = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var factory in factories)
        {
            if (factory.Create(cluster) is { } policy)
            {
                policies[factory.Name] = policy;
            }
        }

        _policies = policies.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public ClusterPlan Cluster { get; }

    /// <summary>The policy a factory named <paramref name="name"/> made for this cluster, or null.</summary>
    public object? Policy(string name) => _policies.GetValueOrDefault(name);

    public void Dispose()
    {
        foreach (var policy in _policies.Values)
        {
            PolicyStateStore.DisposeState(policy);
        }
    }
}
