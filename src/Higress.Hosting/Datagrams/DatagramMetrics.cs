using System.Diagnostics.Metrics;
using Higress.Core.Diagnostics;

namespace Higress.Hosting.Datagrams;

/// <summary>The UDP instruments on the <c>Higress</c> meter: sessions, datagrams forwarded and dropped, by listener.</summary>
internal sealed class DatagramMetrics
{
    private readonly UpDownCounter<long> _sessions;
    private readonly Counter<long> _datagrams;
    private readonly Counter<long> _dropped;

    public DatagramMetrics(HigressMeter higressMeter)
    {
        var meter = higressMeter.Meter;
        _sessions = meter.CreateUpDownCounter<long>(MetricNames.UdpSessions, "{session}", "Open UDP sessions (a client address with its upstream socket), by listener");
        _datagrams = meter.CreateCounter<long>(MetricNames.UdpDatagrams, "{datagram}", "UDP datagrams forwarded, by listener and direction (upstream: client to backend, downstream: backend to client)");
        _dropped = meter.CreateCounter<long>(MetricNames.UdpDropped, "{datagram}", "UDP datagrams dropped, by listener and reason: no_backend, session_limit, rate_limit, upstream_error");
    }

    /// <summary>The label sets of one listener, made once so that counting allocates nothing.</summary>
    public sealed class Labels(string listener)
    {
        public KeyValuePair<string, object?> Listener { get; } = new("listener", listener);

        public KeyValuePair<string, object?> Upstream { get; } = new("direction", "upstream");

        public KeyValuePair<string, object?> Downstream { get; } = new("direction", "downstream");
    }

    public void SessionOpened(Labels labels) => _sessions.Add(1, labels.Listener);

    public void SessionClosed(Labels labels) => _sessions.Add(-1, labels.Listener);

    public void Forwarded(Labels labels, bool upstream) => _datagrams.Add(1, labels.Listener, upstream ? labels.Upstream : labels.Downstream);

    public void Dropped(Labels labels, string reason) => _dropped.Add(1, labels.Listener, new KeyValuePair<string, object?>("reason", reason));
}
