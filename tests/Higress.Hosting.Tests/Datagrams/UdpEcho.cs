using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Higress.Hosting.Tests.Datagrams;

/// <summary>
/// A UDP echo server on 127.0.0.1: sends every datagram back to its sender and remembers which source ports (the
/// gateway's upstream sockets, one per session) it heard from.
/// </summary>
internal sealed class UdpEcho : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<int, int> _sources = new();
    private int _received;

    public UdpEcho()
    {
        _socket.ReceiveBufferSize = 4 * 1024 * 1024;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
        _ = RunAsync();
    }

    public int Port { get; }

    /// <summary>Datagrams received.</summary>
    public int Received => Volatile.Read(ref _received);

    /// <summary>The source ports heard from, with the datagrams from each.</summary>
    public IReadOnlyDictionary<int, int> Sources => _sources;

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var buffer = new byte[65_535];
        var any = new IPEndPoint(IPAddress.Any, 0);
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
                var from = (IPEndPoint)result.RemoteEndPoint;
                _sources.AddOrUpdate(from.Port, 1, (_, n) => n + 1);
                Interlocked.Increment(ref _received);
                await _socket.SendToAsync(buffer.AsMemory(0, result.ReceivedBytes), SocketFlags.None, from, _stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }
}
