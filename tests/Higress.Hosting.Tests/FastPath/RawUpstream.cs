using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Higress.Hosting.Tests.FastPath;

/// <summary>
/// A hostile (or merely exact) upstream on a loopback socket: it reads each request head (and a Content-Length or
/// chunked body) and answers with the bytes a test scripts, byte for byte, so that tests can send what no Kestrel
/// would: both framings, folded headers, bad chunk sizes, a response cut short. It records the raw requests and counts
/// the connections it accepted.
/// </summary>
internal sealed class RawUpstream : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<int, Reply> _reply;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _connections;
    private int _requests;

    private RawUpstream(Func<int, Reply> reply)
    {
        _reply = reply;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Each request as received: its head and its body (de-chunked), in order.</summary>
    public ConcurrentQueue<(string Head, byte[] Body)> Received { get; } = new();

    /// <summary>Starts an upstream that gives request number n (from 0, over all connections) <paramref name="reply"/>(n).</summary>
    public static RawUpstream Start(Func<int, Reply> reply) => new(reply);

    /// <summary>Starts an upstream that answers every request with <paramref name="response"/>.</summary>
    public static RawUpstream Start(string response) => new(_ => new Reply(response));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception)
        {
            // Stopping the listener ends the accept loop with an exception.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptSocketAsync(_stop.Token);
            Interlocked.Increment(ref _connections);
            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        using var stream = new NetworkStream(socket);
        var buffer = new List<byte>();
        var chunk = new byte[8192];
        try
        {
            while (true)
            {
                int headEnd;
                while ((headEnd = IndexOf(buffer, "\r\n\r\n"u8)) < 0)
                {
                    var read = await stream.ReadAsync(chunk, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    buffer.AddRange(chunk.AsSpan(0, read));
                }

                var head = Encoding.Latin1.GetString(buffer.GetRange(0, headEnd).ToArray());
                buffer.RemoveRange(0, headEnd + 4);
                var body = await ReadBodyAsync(head, buffer, stream, chunk);
                Received.Enqueue((head, body));
                var reply = _reply(Interlocked.Increment(ref _requests) - 1);
                await stream.WriteAsync(Encoding.Latin1.GetBytes(reply.Bytes), _stop.Token);
                if (reply.Close)
                {
                    socket.Shutdown(SocketShutdown.Both);
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
        {
            // The gateway closed the connection (as it must after a response it refused) or the test ended.
        }
    }

    private async Task<byte[]> ReadBodyAsync(string head, List<byte> buffer, NetworkStream stream, byte[] chunk)
    {
        var lines = head.Split("\r\n");
        var length = lines.FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) is { } cl ? int.Parse(cl[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture) : 0;
        var chunked = lines.Any(l => l.StartsWith("Transfer-Encoding:", StringComparison.OrdinalIgnoreCase) && l.Contains("chunked", StringComparison.OrdinalIgnoreCase));
        if (!chunked)
        {
            await FillAsync(buffer, length, stream, chunk);
            var body = buffer.GetRange(0, length).ToArray();
            buffer.RemoveRange(0, length);
            return body;
        }

        var decoded = new List<byte>();
        while (true)
        {
            int lineEnd;
            while ((lineEnd = IndexOf(buffer, "\r\n"u8)) < 0)
            {
                await FillAsync(buffer, buffer.Count + 1, stream, chunk);
            }

            var size = Convert.ToInt32(Encoding.ASCII.GetString(buffer.GetRange(0, lineEnd).ToArray()).Split(';')[0], 16);
            buffer.RemoveRange(0, lineEnd + 2);
            await FillAsync(buffer, size + 2, stream, chunk);
            decoded.AddRange(buffer.GetRange(0, size));
            buffer.RemoveRange(0, size + 2);
            if (size == 0)
            {
                return [.. decoded];
            }
        }
    }

    private async Task FillAsync(List<byte> buffer, int count, NetworkStream stream, byte[] chunk)
    {
        while (buffer.Count < count)
        {
            var read = await stream.ReadAsync(chunk, _stop.Token);
            if (read == 0)
            {
                throw new IOException("the gateway closed the connection inside a request body");
            }

            buffer.AddRange(chunk.AsSpan(0, read));
        }
    }

    private static int IndexOf(List<byte> buffer, ReadOnlySpan<byte> value)
    {
        for (var i = 0; i + value.Length <= buffer.Count; i++)
        {
            var match = true;
            for (var j = 0; j < value.Length && match; j++)
            {
                match = buffer[i + j] == value[j];
            }

            if (match)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>What the upstream writes for one request, and whether it then closes the connection.</summary>
    internal sealed record Reply(string Bytes, bool Close = false);
}
