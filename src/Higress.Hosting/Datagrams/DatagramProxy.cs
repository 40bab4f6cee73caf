using System.Globalization;
using System.Net.Sockets;
using Higress.Core.Diagnostics;
using Higress.Core.Plan;
using Higress.Core.Resources;
using Higress.Hosting.Listeners;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Higress.Hosting.Datagrams;

/// <summary>
/// Opens a UDP socket per UDP listener address and port of the plan and closes those that leave it, as
/// <see cref="ListenerManager"/> does for Kestrel's ports. A port that cannot be bound is reported (log,
/// <c>/readyz</c>, <c>/config_dump</c>, the Gateway's status through <see cref="ListenerStatusOverlay"/>) and retried on
/// every apply and every few seconds. A plan change swaps the route of an open socket without closing it.
/// </summary>
internal sealed partial class DatagramProxy : IDisposable
{
    private readonly HigressOptions _options;
    private readonly TimeProvider _time;
    private readonly DatagramMetrics _metrics;
    private readonly ILogger<DatagramProxy> _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, UdpListener> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _failed = new(StringComparer.Ordinal);
    private readonly ITimer _retry;
    private List<(ListenerEndpoint Endpoint, DatagramRoute? Route)> _wanted = [];
    private bool _disposed;

    public DatagramProxy(IOptions<HigressOptions> options, TimeProvider time, DatagramMetrics metrics, ILogger<DatagramProxy> logger)
    {
        _options = options.Value;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _retry = time.CreateTimer(static state => ((DatagramProxy)state!).Reconcile(), this, ListenerManager.RetryInterval, ListenerManager.RetryInterval);
    }

    /// <summary>Opens the UDP listeners of <paramref name="plan"/>, routes them, and closes the others.</summary>
    public void Update(GatewayPlan plan)
    {
        var wanted = new List<(ListenerEndpoint, DatagramRoute?)>();
        var udp = _options.OpenListeners ? plan.Listeners.Where(l => l.Protocol == ListenerProtocol.Udp) : [];
        foreach (var group in udp.GroupBy(l => (Address: l.Address ?? _options.BindAddress, l.Port)).OrderBy(g => g.Key.Port))
        {
            var (address, port) = group.Key;
            var endpoint = new ListenerEndpoint(
                $"higress-udp-{address.Replace(':', '_').Replace('.', '_')}-{port.ToString(CultureInfo.InvariantCulture)}",
                address,
                port,
                "udp",
                null,
                group.ToEquatableArray());
            var ids = group.Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
            var route = plan.UdpRoutes.FirstOrDefault(r => r.Listeners.Any(ids.Contains));
            wanted.Add((endpoint, route is null ? null : new DatagramRoute(route)));
        }

        lock (_lock)
        {
            _wanted = wanted;
        }

        Reconcile();
    }

    /// <summary>Every UDP endpoint the plan wants, with its state (open, or failed with the reason and the fix).</summary>
    public IReadOnlyList<ListenerEndpointStatus> Endpoints()
    {
        lock (_lock)
        {
            return _wanted.Select(w => _open.TryGetValue(w.Endpoint.Name, out var listener) && listener.Failure is null
                    ? new ListenerEndpointStatus(w.Endpoint, ListenerEndpointState.Open, null)
                    : new ListenerEndpointStatus(w.Endpoint, ListenerEndpointState.Failed, _failed.GetValueOrDefault(w.Endpoint.Name) ?? listener?.Failure))
                .ToList();
        }
    }

    /// <summary>The open listener on <paramref name="port"/>, or null (tests and diagnostics).</summary>
    public UdpListener? Find(int port)
    {
        lock (_lock)
        {
            return _open.Values.FirstOrDefault(l => l.Endpoint.Port == port);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _retry.Dispose();
            foreach (var listener in _open.Values)
            {
                listener.Dispose();
            }

            _open.Clear();
        }
    }

    private void Reconcile()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            var names = _wanted.Select(w => w.Endpoint.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var (name, listener) in _open.Where(o => !names.Contains(o.Key) || o.Value.Failure is not null).ToList())
            {
                _open.Remove(name);
                listener.Dispose();
                Log.Closed(_logger, listener.Endpoint.Url);
            }

            foreach (var name in _failed.Keys.Where(n => !names.Contains(n)).ToList())
            {
                _failed.Remove(name);
            }

            foreach (var (endpoint, route) in _wanted)
            {
                if (!_open.TryGetValue(endpoint.Name, out var listener))
                {
                    try
                    {
                        listener = UdpListener.Open(endpoint, _options.Udp, _time, _metrics, _logger);
                    }
                    catch (SocketException ex)
                    {
                        var reason = BindProbe.Explain(ex, endpoint.Address, endpoint.Port);
                        if (_failed.GetValueOrDefault(endpoint.Name) != reason)
                        {
                            Log.Failed(_logger, endpoint.Url, endpoint.Owners, reason);
                        }

                        _failed[endpoint.Name] = reason;
                        continue;
                    }

                    _failed.Remove(endpoint.Name);
                    _open[endpoint.Name] = listener;
                    Log.Opened(_logger, endpoint.Url, endpoint.Owners);
                }

                listener.Serve(endpoint, route);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.UdpListenerOpened, Level = LogLevel.Information, Message = "Listening on {Url} for {Owners}")]
        public static partial void Opened(ILogger logger, string url, string owners);

        [LoggerMessage(EventId = EventIds.UdpListenerFailed, Level = LogLevel.Error, Message = "Cannot open {Url} for {Owners}: {Reason}. The other listeners keep serving; retrying every few seconds")]
        public static partial void Failed(ILogger logger, string url, string owners, string reason);

        [LoggerMessage(EventId = EventIds.UdpListenerClosed, Level = LogLevel.Information, Message = "Closed {Url} and its sessions")]
        public static partial void Closed(ILogger logger, string url);
    }
}
