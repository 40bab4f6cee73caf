using System.Net;
using System.Net.Sockets;

namespace Higress.Hosting.Datagrams;

/// <summary>
/// One client of a UDP listener (its address and port) with the upstream socket that carries its datagrams to the
/// chosen destination; the socket's local port tells the backend's replies to this client apart from the others'.
/// </summary>
internal sealed class UdpSession(SocketAddress client, Socket upstream, string destination, DatagramBucket bucket, long now) : IDisposable
{
    private long _lastActive = now;
    private int _closed;

    /// <summary>The client's address, the key of the session table and where replies go.</summary>
    public SocketAddress Client { get; } = client;

    /// <summary>The socket connected to the destination.</summary>
    public Socket Upstream { get; } = upstream;

    /// <summary>The destination's <see cref="Core.Plan.DestinationPlan.Address"/>.</summary>
    public string Destination { get; } = destination;

    /// <summary>The client's rate limit; a field, because the bucket is a mutable struct.</summary>
    public DatagramBucket Bucket = bucket;

    /// <summary>When a datagram last passed in either direction (a <see cref="TimeProvider"/> timestamp).</summary>
    public long LastActive => Volatile.Read(ref _lastActive);

    public void Touch(long now) => Volatile.Write(ref _lastActive, now);

    /// <summary>Closes the upstream socket; true only for the first caller, who accounts for the session's end.</summary>
    public bool Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return false;
        }

        Upstream.Dispose();
        return true;
    }

    public void Dispose() => Close();
}
