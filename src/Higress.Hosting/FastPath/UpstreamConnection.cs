using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace Higress.Hosting.FastPath;

/// <summary>One HTTP/1.1 connection to an upstream endpoint: a socket read and written through pipes.</summary>
internal sealed class UpstreamConnection : IAsyncDisposable
{
    private static readonly StreamPipeReaderOptions ReaderOptions = new(bufferSize: 16 * 1024, minimumReadSize: 4 * 1024);
    private static readonly StreamPipeWriterOptions WriterOptions = new(minimumBufferSize: 4 * 1024);
    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    public UpstreamConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        Input = PipeReader.Create(_stream, ReaderOptions);
        Output = PipeWriter.Create(_stream, WriterOptions);
        Created = Stopwatch.GetTimestamp();
    }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }

    /// <summary>When the connection was opened (Stopwatch ticks).</summary>
    public long Created { get; }

    /// <summary>When the connection was last put back in its pool (Stopwatch ticks).</summary>
    public long IdleSince { get; set; }

    /// <summary>The header list of the connection's latest response head, refilled by the next (<see cref="ResponseHead.TryParse"/>).</summary>
    public List<KeyValuePair<string, string>> ResponseHeaders { get; } = new(12);

    /// <summary>Requests sent on this connection, the current one included.</summary>
    public int Requests { get; set; }

    /// <summary>
    /// True when an idle connection shows anything to read: the upstream closed it (end of stream) or sent bytes no
    /// request asked for. Either way it must not carry another request.
    /// </summary>
    public bool LooksClosed()
    {
        try
        {
            // Readable covers both: bytes are waiting, or the peer closed (a read would return at once).
            return _socket.Poll(0, SelectMode.SelectRead);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The socket goes first: what a broken exchange left unflushed (the head of a request whose body then failed)
        // must never reach the upstream. Completing the pipes afterwards only releases their buffers; a writer's last
        // flush finds the stream closed, which is expected here.
        await _stream.DisposeAsync();
        try
        {
            await Input.CompleteAsync();
        }
        catch (Exception ex) when (ex is ObjectDisposedException or IOException)
        {
        }

        try
        {
            await Output.CompleteAsync();
        }
        catch (Exception ex) when (ex is ObjectDisposedException or IOException)
        {
        }
    }
}
