using System.Collections.Concurrent;
using Higress.Core.Diagnostics;
using Higress.Hosting.Runtime;
using Microsoft.Extensions.Logging;

namespace Higress.Hosting.UpstreamTls;

/// <summary>
/// Reports upstream TLS failures: every failure is counted (<c>higress.upstream.tls.failures</c>, by cluster and
/// reason kind), and logged once per cluster per incident: when a cluster starts failing, or fails for another
/// reason. An incident ends with the cluster's next successful handshake, which is logged too.
/// </summary>
internal sealed partial class UpstreamTlsIncidents(ILogger<UpstreamTlsIncidents> logger, HigressMetrics metrics)
{
    private readonly ConcurrentDictionary<string, string> _open = new(StringComparer.Ordinal);

    public void Failed(ClusterTls tls, UpstreamTlsRefusal refusal)
    {
        metrics.UpstreamTlsFailed(tls.ClusterId, refusal.Kind);
        var previous = _open.GetValueOrDefault(tls.ClusterId);
        _open[tls.ClusterId] = refusal.Message;
        if (previous != refusal.Message)
        {
            Log.Failed(logger, tls.ClusterId, refusal.Kind, refusal.Message, tls.Plan.Source);
        }
    }

    public void Succeeded(ClusterTls tls)
    {
        if (!_open.IsEmpty && _open.TryRemove(tls.ClusterId, out _))
        {
            Log.Recovered(logger, tls.ClusterId);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.UpstreamTlsFailed, Level = LogLevel.Warning, Message = "Cluster {ClusterId}: upstream TLS refused ({Kind}): {Reason}; requests get 503 until a handshake succeeds (settings: {Source})")]
        public static partial void Failed(ILogger logger, string clusterId, string kind, string reason, string source);

        [LoggerMessage(EventId = EventIds.UpstreamTlsRecovered, Level = LogLevel.Information, Message = "Cluster {ClusterId}: upstream TLS handshakes succeed again")]
        public static partial void Recovered(ILogger logger, string clusterId);
    }
}
