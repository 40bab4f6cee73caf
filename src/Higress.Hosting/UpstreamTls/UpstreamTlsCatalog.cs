using System.Collections.Frozen;
using System.Globalization;
using Higress.Core.Plan;

namespace Higress.Hosting.UpstreamTls;

/// <summary>The TLS a cluster's connections use: its plan, the protocol offered by ALPN, and the loaded material.</summary>
/// <param name="ClusterId">The cluster.</param>
/// <param name="Plan">The cluster's TLS plan.</param>
/// <param name="Http2">Offer ALPN <c>h2</c> (else <c>http/1.1</c>).</param>
/// <param name="Material">The roots and client certificate, loaded once (files: again when they change).</param>
internal sealed record ClusterTls(string ClusterId, UpstreamTlsPlan Plan, bool Http2, UpstreamTlsMaterial Material);

/// <summary>
/// The TLS settings of every cluster of the applied plan, by cluster id: the proxy config provider publishes them
/// before YARP builds its clients, and the forwarder client factory reads them. A version per distinct setting goes
/// into the YARP cluster's metadata, so that YARP builds a new client (a new connection pool) exactly when a cluster's
/// TLS changed, and keeps the pool (and its loaded material) when it did not.
/// </summary>
internal sealed class UpstreamTlsCatalog
{
    /// <summary>The YARP cluster metadata key that carries the TLS version.</summary>
    public const string MetadataKey = "higress.tls";

    private readonly Lock _lock = new();
    private Dictionary<(UpstreamTlsPlan, bool), (string Version, UpstreamTlsMaterial Material)> _versions = [];
    private FrozenDictionary<string, ClusterTls> _clusters = FrozenDictionary<string, ClusterTls>.Empty;
    private long _next;

    /// <summary>Publishes the TLS of <paramref name="clusters"/>; material of settings that did not change is kept.</summary>
    public void Update(IEnumerable<ClusterPlan> clusters)
    {
        lock (_lock)
        {
            var versions = new Dictionary<(UpstreamTlsPlan, bool), (string, UpstreamTlsMaterial)>();
            var byCluster = new Dictionary<string, ClusterTls>(StringComparer.Ordinal);
            foreach (var cluster in clusters)
            {
                if (cluster.Tls is not { } plan)
                {
                    continue;
                }

                var key = (plan, cluster.Protocol == UpstreamProtocol.Http2Tls);
                if (!versions.TryGetValue(key, out var entry))
                {
                    entry = _versions.TryGetValue(key, out var kept)
                        ? kept
                        : ((++_next).ToString(CultureInfo.InvariantCulture), new UpstreamTlsMaterial(plan));
                    versions[key] = entry;
                }

                byCluster[cluster.Id] = new ClusterTls(cluster.Id, plan, key.Item2, entry.Item2);
            }

            _versions = versions;
            _clusters = byCluster.ToFrozenDictionary(StringComparer.Ordinal);
        }
    }

    /// <summary>The version of <paramref name="cluster"/>'s TLS settings for its metadata, or null when it has none.</summary>
    public string? VersionOf(ClusterPlan cluster)
    {
        lock (_lock)
        {
            return cluster.Tls is { } plan && _versions.TryGetValue((plan, cluster.Protocol == UpstreamProtocol.Http2Tls), out var entry) ? entry.Version : null;
        }
    }

    /// <summary>The TLS of <paramref name="clusterId"/>, or null.</summary>
    public ClusterTls? Find(string clusterId) => _clusters.GetValueOrDefault(clusterId);
}
