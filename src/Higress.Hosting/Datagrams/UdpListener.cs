using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Higress.Core.Diagnostics;
using Higress.Hosting.Listeners;
using Microsoft.Extensions.Logging;

namespace Higress.Hosting.Datagrams;

/// <summary>
/// One bound UDP socket and its session table. A single receive loop reads client datagrams into one buffer and
/// sends each on its session's upstream socket; each session's reply loop waits with a zero-byte peek (holding no
/// buffer while idle), then reads the reply into a pooled buffer and sends it from this socket, so the client sees
/// the listener's own address and port. Sessions end after <see cref="HigressUdpOptions.IdleTimeout"/> without traffic.
/// </summary>
internal sealed partial class UdpListener : IDisposable
{
    // The largest UDP payload over IPv4 or IPv6 (without jumbograms).
    private const int MaxDatagram = 65_535;

    private readonly Socket _socket;
    private readonly ConcurrentDictionary<SocketAddress, UdpSession> _sessions = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly HigressUdpOptions _options;
    private readonly TimeProvider _time;
    private readonly DatagramMetrics _metrics;
    private readonly DatagramMetrics.Labels _labels;
    private readonly ILogger _logger;
    private readonly ITimer _sweep;
    private volatile DatagramRoute? _route;
    private int _sessionCount;
    private int _limitLogged;

    private UdpListener(Socket socket, ListenerEndpoint endpoint, HigressUdpOptions options, TimeProvider time, DatagramMetrics metrics, ILogger logger)
    {
        _socket = socket;
        Endpoint = endpoint;
        _options = options;
        _time = time;
        _metrics = metrics;
        _labels = new DatagramMetrics.Labels(endpoint.Listeners[0].Id);
        _logger = logger;
        var period = TimeSpan.FromTicks(Math.Clamp(options.IdleTimeout.Ticks / 4, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerSecond));
        _sweep = time.CreateTimer(static state => ((UdpListener)state!).Sweep(), this, period, period);
        _ = ReceiveLoopAsync();
    }

    /// <summary>The address, port and gateway listeners served.</summary>
    public ListenerEndpoint Endpoint { get; private set; }

    /// <summary>The bound address (the real port when the plan asked for an ephemeral one).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Open sessions.</summary>
    public int SessionCount => Volatile.Read(ref _sessionCount);

    /// <summary>Why the receive loop stopped, or null while it runs.</summary>
    public string? Failure { get; private set; }

    /// <summary>Binds <paramref name="endpoint"/>; throws <see cref="SocketException"/> when it cannot be bound.</summary>
    public static UdpListener Open(ListenerEndpoint endpoint, HigressUdpOptions options, TimeProvider time, DatagramMetrics metrics, ILogger logger)
    {
        var ip = BindProbe.ToIPAddress(endpoint.Address);
        var socket = new Socket(ip.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            // Room for bursts while the loop is busy; the kernel caps it at its own maximum.
            socket.ReceiveBufferSize = 4 * 1024 * 1024;
            socket.Bind(new IPEndPoint(ip, endpoint.Port));
            return new UdpListener(socket, endpoint, options, time, metrics, logger);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Serves <paramref name="route"/> (null: drop everything) for new sessions from now on. Open sessions keep their
    /// destination while the route still has it; the others close, and their next datagram opens a new session.
    /// </summary>
    public void Serve(ListenerEndpoint endpoint, DatagramRoute? route)
    {
        Endpoint = endpoint;
        if (ReferenceEquals(_route, route))
        {
            return;
        }

        _route = route;
        foreach (var session in _sessions.Values)
        {
            if (route is null || !route.Serves(session.Destination))
            {
                End(session);
            }
        }
    }

    public void Dispose()
    {
        _sweep.Dispose();
        _stop.Cancel();
        _socket.Dispose();
        foreach (var session in _sessions.Values)
        {
            End(session);
        }

        _stop.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var token = _stop.Token;
        var buffer = GC.AllocateUninitializedArray<byte>(MaxDatagram, pinned: true);
        var client = new SocketAddress(_socket.AddressFamily);
        while (!token.IsCancellationRequested)
        {
            int received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, client, token);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
            {
                // Windows reports an ICMP "port unreachable" for an earlier send here; the socket is fine.
                continue;
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                Failure = $"receiving failed: {ex.Message} ({ex.SocketErrorCode}); reopening";
                Log.ReceiveFailed(_logger, Endpoint.Url, ex);
                return;
            }

            var now = _time.GetTimestamp();
            if (!_sessions.TryGetValue(client, out var session) && (session = await OpenSessionAsync(client, now, token)) is null)
            {
                continue;
            }

            if (!session.Bucket.TryTake(now, _time))
            {
                _metrics.Dropped(_labels, "rate_limit");
                continue;
            }

            session.Touch(now);
            try
            {
                await session.Upstream.SendAsync(buffer.AsMemory(0, received), SocketFlags.None, token);
                _metrics.Forwarded(_labels, upstream: true);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                _metrics.Dropped(_labels, "upstream_error");
                End(session);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async ValueTask<UdpSession?> OpenSessionAsync(SocketAddress client, long now, CancellationToken token)
    {
        if (_route?.Pick() is not { } destination)
        {
            _metrics.Dropped(_labels, "no_backend");
            return null;
        }

        if (SessionCount >= Math.Max(1, _options.MaxSessions))
        {
            _metrics.Dropped(_labels, "session_limit");
            if (Interlocked.Exchange(ref _limitLogged, 1) == 0)
            {
                Log.SessionLimitReached(_logger, Endpoint.Url, _options.MaxSessions);
            }

            return null;
        }

        Socket? upstream = null;
        try
        {
            var target = new Uri(destination.Address);
            var address = IPAddress.TryParse(target.DnsSafeHost, out var ip) ? ip : (await Dns.GetHostAddressesAsync(target.DnsSafeHost, token))[0];
            upstream = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            upstream.Connect(new IPEndPoint(address, target.Port));
        }
        catch (Exception ex) when (ex is SocketException or IndexOutOfRangeException)
        {
            upstream?.Dispose();
            _metrics.Dropped(_labels, "upstream_error");
            Log.UpstreamFailed(_logger, Endpoint.Url, destination.Address, ex.Message);
            return null;
        }

        var copy = new SocketAddress(client.Family, client.Size);
        client.Buffer.Span[..client.Size].CopyTo(copy.Buffer.Span);
        var rate = _options.DatagramsPerSecond;
        var bucket = new DatagramBucket(rate, _options.DatagramBurst ?? Math.Max(1, (int)Math.Ceiling(rate)), now);
        var session = new UdpSession(copy, upstream, destination.Address, bucket, now);
        _sessions[copy] = session;
        Interlocked.Increment(ref _sessionCount);
        _metrics.SessionOpened(_labels);
        _ = PumpRepliesAsync(session);
        return session;
    }

    private async Task PumpRepliesAsync(UdpSession session)
    {
        var token = _stop.Token;
        try
        {
            while (true)
            {
                // Wait for a reply without holding a buffer: an idle session costs its socket and nothing more.
                await session.Upstream.ReceiveAsync(Memory<byte>.Empty, SocketFlags.Peek, token);
                var buffer = ArrayPool<byte>.Shared.Rent(MaxDatagram);
                try
                {
                    var received = await session.Upstream.ReceiveAsync(buffer, SocketFlags.None, token);
                    session.Touch(_time.GetTimestamp());
                    await _socket.SendToAsync(buffer.AsMemory(0, received), SocketFlags.None, session.Client, token);
                    _metrics.Forwarded(_labels, upstream: false);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The session closed (idle, route change, shutdown), or the backend refused (ICMP port unreachable):
            // either way the session ends, and the client's next datagram opens a new one.
            End(session);
        }
    }

    private void Sweep()
    {
        var now = _time.GetTimestamp();
        foreach (var session in _sessions.Values)
        {
            if (_time.GetElapsedTime(session.LastActive, now) >= _options.IdleTimeout)
            {
                End(session);
            }
        }
    }

    private void End(UdpSession session)
    {
        _sessions.TryRemove(new KeyValuePair<SocketAddress, UdpSession>(session.Client, session));
        if (session.Close())
        {
            Interlocked.Decrement(ref _sessionCount);
            _metrics.SessionClosed(_labels);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.UdpSessionLimitReached, Level = LogLevel.Warning, Message = "UDP listener {Url} holds {MaxSessions} sessions (Higress:Udp:MaxSessions); datagrams from new clients are dropped until sessions idle out. Logged once per listener")]
        public static partial void SessionLimitReached(ILogger logger, string url, int maxSessions);

        [LoggerMessage(EventId = EventIds.UdpUpstreamFailed, Level = LogLevel.Warning, Message = "UDP listener {Url} cannot reach {Destination}: {Reason}; the datagram is dropped")]
        public static partial void UpstreamFailed(ILogger logger, string url, string destination, string reason);

        [LoggerMessage(EventId = EventIds.UdpReceiveFailed, Level = LogLevel.Error, Message = "UDP listener {Url} stopped receiving; it is reopened within seconds")]
        public static partial void ReceiveFailed(ILogger logger, string url, Exception exception);
    }
}
