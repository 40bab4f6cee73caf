using System.Collections.Concurrent;
using Higress.Core.Plan;
using Higress.Core.Policies;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Higress.Hosting.FastPath;

/// <summary>
/// A cluster the fast path may forward to, and its connection pools, one per destination. Made when a plan is applied
/// (a cluster that is not eligible gets none), kept while the cluster's plan is unchanged, and disposed with it, which
/// closes its idle connections.
/// </summary>
internal sealed class FastPathCluster : IAsyncDisposable
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, Destination> _destinations = new(StringComparer.OrdinalIgnoreCase);
    private readonly Timer _sweep;

    public FastPathCluster(ClusterPlan cluster)
    {
        Cluster = cluster;
        _sweep = new Timer(static state => ((FastPathCluster)state!).Sweep(), this, SweepInterval, SweepInterval);
    }

    public ClusterPlan Cluster { get; }

    /// <summary>The pool and path prefix of the destination at <paramref name="address"/>.</summary>
    public Destination For(string address) =>
        _destinations.GetOrAdd(address, static (address, pool) => new Destination(address, pool), Cluster.ConnectionPool);

    public async ValueTask DisposeAsync()
    {
        await _sweep.DisposeAsync();
        foreach (var destination in _destinations.Values)
        {
            await destination.Pool.DisposeAsync();
        }
    }

    private void Sweep()
    {
        foreach (var destination in _destinations.Values)
        {
            destination.Pool.Sweep();
        }
    }

    /// <summary>One destination: its connections and the path its address puts before every request's path.</summary>
    internal sealed class Destination
    {
        public Destination(string address, ConnectionPoolPlan? settings)
        {
            var uri = new Uri(address, UriKind.Absolute);
            Pool = new UpstreamConnectionPool(uri, settings);
            var path = uri.AbsolutePath;
            PathPrefix = path.EndsWith('/') ? path[..^1] : path;
            Authority = uri.Authority;
        }

        public UpstreamConnectionPool Pool { get; }

        /// <summary>The address's path without its trailing slash ("" for <c>http://host:port</c>), as YARP joins them.</summary>
        public string PathPrefix { get; }

        /// <summary>The address's host and port: the <c>Host</c> of a request that came without one.</summary>
        public string Authority { get; }
    }
}

/// <summary>Makes a <see cref="FastPathCluster"/> for each eligible cluster while the fast path is on.</summary>
internal sealed class FastPathClusterFactory(IOptions<HigressOptions> options, IForwarderHttpClientFactory clients) : IClusterPolicyFactory
{
    public const string PolicyName = "fast-path";

    // A host that replaced the forwarder's client (Higress.Testing's in-memory backends) keeps every request on it.
    private readonly bool _enabled = options.Value.FastPath.Enabled && clients is Resilience.HigressForwarderHttpClientFactory;

    public string Name => PolicyName;

    public object? Create(ClusterPlan cluster) => _enabled && FastPathEligibility.ForCluster(cluster) ? new FastPathCluster(cluster) : null;
}
