using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Higress.Core.Plan;

namespace Higress.Hosting.FastPath;

/// <summary>
/// The idle HTTP/1.1 connections to one upstream endpoint, with the cluster's connection-pool settings: idle expiry
/// (<c>idleTimeout</c>, default 60 s as HttpClient's), lifetime (<c>maxConnectionDuration</c>), requests per connection
/// (<c>maxRequestsPerConnection</c>) and connect timeout (<c>connectTimeout</c>). At most <see cref="MaxIdle"/>
/// connections wait idle; more are closed when they come back.
/// </summary>
internal sealed class UpstreamConnectionPool : IAsyncDisposable
{
    /// <summary>Idle connections kept per endpoint; a burst above it opens connections that are closed afterwards.</summary>
    public const int MaxIdle = 256;

    private static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromSeconds(60);
    // A queue, not a stack: its operations allocate nothing, and rotating through idle connections keeps them all warm.
    private readonly ConcurrentQueue<UpstreamConnection> _idle = new();
    private readonly EndPoint _endpoint;
    private readonly TimeSpan _idleTimeout;
    private readonly TimeSpan? _lifetime;
    private readonly TimeSpan? _connectTimeout;
    private readonly int? _maxRequests;
    private int _idleCount;
    private int _disposed;

    public UpstreamConnectionPool(Uri address, ConnectionPoolPlan? settings)
    {
        _endpoint = IPAddress.TryParse(address.IdnHost, out var ip) ? new IPEndPoint(ip, address.Port) : new DnsEndPoint(address.IdnHost, address.Port);
        _idleTimeout = settings?.IdleTimeout ?? DefaultIdleTimeout;
        _lifetime = settings?.MaxConnectionDuration;
        _connectTimeout = settings?.ConnectTimeout;
        _maxRequests = settings?.MaxRequestsPerConnection;
    }

    /// <summary>Idle connections now.</summary>
    public int IdleCount => Volatile.Read(ref _idleCount);

    /// <summary>
    /// An idle connection within its idle timeout and lifetime, or null when there is none. With
    /// <paramref name="probe"/>, a connection that already shows the upstream's close is skipped too: that costs a system
    /// call, worth it only for a request with a body, which cannot be sent again if the connection turns out closed. A
    /// request without one is sent again on a new connection instead (<see cref="FastForwarder"/>), as HttpClient does.
    /// </summary>
    public UpstreamConnection? TryRent(bool probe)
    {
        var now = Stopwatch.GetTimestamp();
        while (_idle.TryDequeue(out var connection))
        {
            Interlocked.Decrement(ref _idleCount);
            if (!Expired(connection, now) && !(probe && connection.LooksClosed()))
            {
                connection.IdleSince = 0;
                return connection;
            }

            _ = connection.DisposeAsync();
        }

        return null;
    }

    /// <summary>Opens a new connection, within the cluster's connect timeout.</summary>
    public async ValueTask<UpstreamConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (_connectTimeout is { } timeout)
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                deadline.CancelAfter(timeout);
                try
                {
                    await socket.ConnectAsync(_endpoint, deadline.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new SocketException((int)SocketError.TimedOut);
                }
            }
            else
            {
                await socket.ConnectAsync(_endpoint, cancellationToken);
            }

            return new UpstreamConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Puts a connection whose last response was read completely back, or closes it when it is spent.</summary>
    public void Return(UpstreamConnection connection)
    {
        var now = Stopwatch.GetTimestamp();
        if (Volatile.Read(ref _disposed) != 0 || Expired(connection, now) || (_maxRequests is { } max && connection.Requests >= max))
        {
            _ = connection.DisposeAsync();
            return;
        }

        if (Interlocked.Increment(ref _idleCount) > MaxIdle)
        {
            Interlocked.Decrement(ref _idleCount);
            _ = connection.DisposeAsync();
            return;
        }

        connection.IdleSince = now;
        _idle.Enqueue(connection);
    }

    /// <summary>Closes idle connections past their idle timeout or lifetime.</summary>
    public void Sweep()
    {
        var now = Stopwatch.GetTimestamp();
        var keep = new List<UpstreamConnection>();
        while (_idle.TryDequeue(out var connection))
        {
            Interlocked.Decrement(ref _idleCount);
            if (Expired(connection, now))
            {
                _ = connection.DisposeAsync();
            }
            else
            {
                keep.Add(connection);
            }
        }

        foreach (var connection in keep)
        {
            Interlocked.Increment(ref _idleCount);
            _idle.Enqueue(connection);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _disposed, 1);
        while (_idle.TryDequeue(out var connection))
        {
            Interlocked.Decrement(ref _idleCount);
            await connection.DisposeAsync();
        }
    }

    private bool Expired(UpstreamConnection connection, long now) =>
        (connection.IdleSince != 0 && Stopwatch.GetElapsedTime(connection.IdleSince, now) >= _idleTimeout)
        || (_lifetime is { } lifetime && Stopwatch.GetElapsedTime(connection.Created, now) >= lifetime);
}
