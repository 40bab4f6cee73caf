using Higress.Core.Plan;
using Higress.Hosting.Resilience;
using Higress.Hosting.UpstreamTls;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Higress.Hosting.Runtime;

/// <summary>
/// Feeds YARP from plans. Each Higress cluster becomes one YARP cluster and one YARP route
/// (<c>higress:{clusterId}</c>); the route's match is never used by ASP.NET routing, because the Higress matcher selects
/// the endpoint itself, so YARP routes stay one per cluster however many rules point at it.
/// </summary>
internal sealed class HigressProxyConfigProvider(YarpApplyListener applied, UpstreamTlsCatalog tls) : IProxyConfigProvider
{
    public const string RoutePrefix = "higress:";

    private volatile Snapshot _current = new([], []);

    public IProxyConfig GetConfig() => _current;

    public static string RouteIdFor(string clusterId) => RoutePrefix + clusterId;

    /// <summary>
    /// Publishes the clusters of <paramref name="plan"/> and returns a task that completes when YARP has applied them
    /// (or faults with YARP's reason when it refused them).
    /// </summary>
    public Task Update(GatewayPlan plan)
    {
        // The TLS settings go first: YARP builds the clients of the new clusters from them.
        tls.Update(plan.Clusters);
        var clusters = new List<ClusterConfig>(plan.Clusters.Count);
        var routes = new List<RouteConfig>(plan.Clusters.Count);
        foreach (var cluster in plan.Clusters)
        {
            clusters.Add(ToYarp(cluster, tls.VersionOf(cluster)));
            routes.Add(new RouteConfig
            {
                RouteId = RouteIdFor(cluster.Id),
                ClusterId = cluster.Id,
                Match = new Yarp.ReverseProxy.Configuration.RouteMatch { Path = "/{**higress-catch-all}" },
            });
        }

        var old = _current;
        var next = new Snapshot(routes, clusters);
        var done = applied.Watch(next);
        _current = next;
        old.SignalChange();
        return done;
    }

    /// <param name="cluster">The cluster.</param>
    /// <param name="tlsVersion">The version of its TLS settings (<see cref="UpstreamTlsCatalog"/>), or null without TLS.</param>
    internal static ClusterConfig ToYarp(ClusterPlan cluster, string? tlsVersion = null)
    {
        var destinations = new Dictionary<string, DestinationConfig>(StringComparer.OrdinalIgnoreCase);
        foreach (var destination in cluster.Destinations)
        {
            destinations[destination.Id] = new DestinationConfig { Address = destination.Address };
        }

        var tlsMetadata = tlsVersion is null ? null : new Dictionary<string, string> { [UpstreamTlsCatalog.MetadataKey] = tlsVersion };
        return new ClusterConfig
        {
            ClusterId = cluster.Id,
            LoadBalancingPolicy = cluster.LoadBalancing,
            Destinations = destinations,
            HealthCheck = ActiveHealthPolicy.ConfigFor(cluster),
            Metadata = Merge(Merge(ConnectionPoolMetadata.ToMetadata(cluster.ConnectionPool), ActiveHealthPolicy.MetadataFor(cluster)), tlsMetadata),
            HttpRequest = cluster.Protocol is UpstreamProtocol.Http2 or UpstreamProtocol.Http2Tls
                ? new ForwarderRequestConfig { Version = System.Net.HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact }
                : new ForwarderRequestConfig { Version = System.Net.HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower },
        };
    }

    // Each policy puts its own keys on the YARP cluster; null when none has any.
    private static Dictionary<string, string>? Merge(IReadOnlyDictionary<string, string>? first, IReadOnlyDictionary<string, string>? second)
    {
        if (first is null && second is null)
        {
            return null;
        }

        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in new[] { first, second })
        {
            foreach (var (key, value) in source ?? new Dictionary<string, string>())
            {
                merged[key] = value;
            }
        }

        return merged;
    }

    private sealed class Snapshot(IReadOnlyList<RouteConfig> routes, IReadOnlyList<ClusterConfig> clusters) : IProxyConfig
    {
        private readonly CancellationTokenSource _cts = new();

        public IReadOnlyList<RouteConfig> Routes { get; } = routes;

        public IReadOnlyList<ClusterConfig> Clusters { get; } = clusters;

        public IChangeToken ChangeToken => new CancellationChangeToken(_cts.Token);

        public void SignalChange() => _cts.Cancel();
    }
}
