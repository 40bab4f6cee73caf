using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace Higress.Hosting.Streams;

/// <summary>
/// Copies one forwarded connection both ways until both directions have ended, passing each side's end of stream on
/// as a half-close (<c>Shutdown(Send)</c>) while the other direction keeps flowing. Client bytes are read from
/// Kestrel's input pipe (where a peeked ClientHello still waits); backend bytes are written straight to the client's
/// socket, because completing Kestrel's output pipe would close the whole socket and cut the other direction.
/// Any error, or no byte either way for the idle timeout, ends both directions.
/// </summary>
internal sealed class StreamPump(ConnectionContext client, Socket upstream, TimeSpan idleTimeout, string listener, StreamMetrics metrics)
{
    private const int BufferSize = 64 * 1024;
    private readonly CancellationTokenSource _stop = new();

    public async Task RunAsync()
    {
        using (_stop)
        {
            _stop.CancelAfter(idleTimeout);
            var up = Guard(ClientToUpstream());
            var down = Guard(UpstreamToClient());
            await Task.WhenAll(up, down);
            if (_stop.IsCancellationRequested)
            {
                // An error or the idle timeout: no orderly close is owed to either side.
                client.Abort(new ConnectionAbortedException("stream ended by an error or the idle timeout"));
            }
        }
    }

    private async Task Guard(Task pump)
    {
        try
        {
            await pump;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ConnectionResetException or ObjectDisposedException or InvalidOperationException)
        {
            await _stop.CancelAsync();
        }
    }

    private async Task ClientToUpstream()
    {
        var input = client.Transport.Input;
        var token = _stop.Token;
        while (true)
        {
            var result = await input.ReadAsync(token);
            var buffer = result.Buffer;
            foreach (var segment in buffer)
            {
                await SendAll(upstream, segment, token);
            }

            if (!buffer.IsEmpty)
            {
                metrics.Bytes(listener, upstream: true, buffer.Length);
                _stop.CancelAfter(idleTimeout);
            }

            input.AdvanceTo(buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                upstream.Shutdown(SocketShutdown.Send);
                return;
            }
        }
    }

    private async Task UpstreamToClient()
    {
        var token = _stop.Token;
        var socket = client.Features.Get<IConnectionSocketFeature>()?.Socket;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var read = await upstream.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, token);
                if (read == 0)
                {
                    if (socket is not null)
                    {
                        socket.Shutdown(SocketShutdown.Send);
                    }
                    else
                    {
                        // Another transport: closing its output ends the connection; no half-close is possible.
                        await client.Transport.Output.CompleteAsync();
                    }

                    return;
                }

                if (socket is not null)
                {
                    await SendAll(socket, buffer.AsMemory(0, read), token);
                }
                else
                {
                    await WriteAndFlush(client.Transport.Output, buffer.AsMemory(0, read), token);
                }

                metrics.Bytes(listener, upstream: false, read);
                _stop.CancelAfter(idleTimeout);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async ValueTask WriteAndFlush(PipeWriter output, ReadOnlyMemory<byte> data, CancellationToken token)
    {
        var flush = await output.WriteAsync(data, token);
        if (flush.IsCompleted)
        {
            throw new IOException("the client's connection is closed");
        }
    }

    private static async ValueTask SendAll(Socket socket, ReadOnlyMemory<byte> data, CancellationToken token)
    {
        while (!data.IsEmpty)
        {
            var sent = await socket.SendAsync(data, SocketFlags.None, token);
            data = data[sent..];
        }
    }
}
