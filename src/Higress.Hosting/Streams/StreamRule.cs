using System.Net;
using Higress.Core.Plan;

namespace Higress.Hosting.Streams;

/// <summary>
/// One L4 rule at run time: its backends with their clusters, and the weighted choice of a backend per connection.
/// The choice is smooth weighted round-robin (nginx's), so that connections follow the weights exactly and evenly
/// interleaved rather than by chance.
/// </summary>
internal sealed class StreamRule
{
    private readonly Lock _lock = new();
    private readonly Backend[] _backends;
    private readonly int _total;

    public StreamRule(StreamRoutePlan plan, IReadOnlyDictionary<string, ClusterPlan> clusters)
    {
        Plan = plan;
        _backends = plan.Backends
            .Where(b => b.Weight > 0)
            .Select(b => new Backend(b, b.ClusterId is { } id && clusters.TryGetValue(id, out var cluster) ? cluster : null))
            .ToArray();
        _total = _backends.Sum(b => b.Plan.Weight);
    }

    public StreamRoutePlan Plan { get; }

    /// <summary>The backend for the next connection, or null when the rule has none with a weight.</summary>
    public Backend? Pick()
    {
        if (_backends.Length == 0)
        {
            return null;
        }

        lock (_lock)
        {
            Backend best = _backends[0];
            foreach (var backend in _backends)
            {
                backend.Current += backend.Plan.Weight;
                if (backend.Current > best.Current)
                {
                    best = backend;
                }
            }

            best.Current -= _total;
            return best;
        }
    }

    /// <summary>A backend and its cluster (null when the reference did not resolve).</summary>
    internal sealed class Backend(StreamBackend plan, ClusterPlan? cluster)
    {
        private int _next = -1;

        public StreamBackend Plan { get; } = plan;

        public ClusterPlan? Cluster { get; } = cluster;

        /// <summary>Smooth round-robin state, guarded by the rule's lock.</summary>
        public int Current { get; set; }

        /// <summary>The next endpoint of the cluster, round-robin; null when it has none.</summary>
        public EndPoint? NextEndpoint()
        {
            if (Cluster is not { Destinations.Count: > 0 } cluster)
            {
                return null;
            }

            var destination = cluster.Destinations[(int)((uint)Interlocked.Increment(ref _next) % (uint)cluster.Destinations.Count)];
            if (!Uri.TryCreate(destination.Address, UriKind.Absolute, out var uri))
            {
                return null;
            }

            var host = uri.Host.Trim('[', ']');
            return IPAddress.TryParse(host, out var ip) ? new IPEndPoint(ip, uri.Port) : new DnsEndPoint(host, uri.Port);
        }
    }
}
