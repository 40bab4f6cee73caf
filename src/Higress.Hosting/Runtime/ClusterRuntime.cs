using System.Collections.Frozen;
using Higress.Core.Plan;
using Higress.Core.Policies;
using Higress.Hosting.Resilience;

namespace Higress.Hosting.Runtime;

/// <summary>
/// A cluster's long-lived policy objects, one per <see cref="IClusterPolicyFactory"/> that made one. Kept across
/// reloads (through the <see cref="PolicyStateStore"/>) while the cluster's plan is unchanged.
/// </summary>
internal sealed class ClusterRuntime : IDisposable
{
    private readonly FrozenDictionary<string, object> _policies;
    private int _activeRequests;

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
        Observers = [.. _policies.Values.OfType<IUpstreamTryObserver>()];
        Admissions = [.. _policies.Values.OfType<IClusterAdmission>()];
    }

    public ClusterPlan Cluster { get; }

    /// <summary>The policies that learn from every try sent to this cluster (outlier detection).</summary>
    public IUpstreamTryObserver[] Observers { get; }

    /// <summary>The policies that may refuse a request before it is sent (connection-pool limits).</summary>
    public IClusterAdmission[] Admissions { get; }

    /// <summary>Requests to this cluster in flight now (forwarding started, response not finished).</summary>
    public int ActiveRequests => Volatile.Read(ref _activeRequests);


    /// <summary>Counts a request in; pair with <see cref="ExitRequest"/>.</summary>
    public void EnterRequest() => Interlocked.Increment(ref _activeRequests);

    /// <summary>Counts a request out.</summary>
    public void ExitRequest() => Interlocked.Decrement(ref _activeRequests);

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
