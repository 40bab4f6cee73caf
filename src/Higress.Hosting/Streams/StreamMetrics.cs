using System.Diagnostics.Metrics;
using Higress.Core.Diagnostics;

namespace Higress.Hosting.Streams;

/// <summary>Connections and bytes of TCP and TLS-passthrough listeners, on the <c>Higress</c> meter.</summary>
internal sealed class StreamMetrics
{
    private readonly Counter<long> _connections;
    private readonly UpDownCounter<long> _active;
    private readonly Counter<long> _bytes;

    public StreamMetrics(HigressMeter higressMeter)
    {
        var meter = higressMeter.Meter;
        _connections = meter.CreateCounter<long>(MetricNames.StreamConnections, "{connection}", "Connections to TCP and TLS-passthrough listeners by listener and result: forwarded, no_route, limit, no_backend, connect_failed, no_client_hello");
        _active = meter.CreateUpDownCounter<long>(MetricNames.StreamActiveConnections, "{connection}", "Stream connections being forwarded, by listener");
        _bytes = meter.CreateCounter<long>(MetricNames.StreamBytes, "By", "Bytes forwarded on stream connections by listener and direction (upstream: client to backend; downstream: backend to client)");
    }

    /// <summary>Counts a connection that ended its admission with <paramref name="result"/>.</summary>
    public void Connection(string listener, string result) =>
        _connections.Add(1, new KeyValuePair<string, object?>("listener", listener), new KeyValuePair<string, object?>("result", result));

    public void Active(string listener, int delta) => _active.Add(delta, new KeyValuePair<string, object?>("listener", listener));

    public void Bytes(string listener, bool upstream, long count) =>
        _bytes.Add(count, new KeyValuePair<string, object?>("listener", listener), new KeyValuePair<string, object?>("direction", upstream ? "upstream" : "downstream"));
}
