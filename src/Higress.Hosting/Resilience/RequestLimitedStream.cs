using System.Buffers;
using System.Text;

namespace Higress.Hosting.Resilience;

/// <summary>
/// The plaintext stream of one HTTP/1.1 upstream connection, retired after a number of requests
/// (<c>connectionPool.http.maxRequestsPerConnection</c>). SocketsHttpHandler does not say which connection a request
/// takes, so the connection counts its own requests: a write that starts with a request line, after response bytes
/// were read (or as the first write), starts a request. The last allowed request gets <c>Connection: close</c> added
/// to its header block; the upstream answers and closes, and the pool opens a new connection for the next request.
/// </summary>
internal sealed class RequestLimitedStream(Stream inner, int maxRequests) : Stream
{
    private static readonly byte[] CloseHeader = Encoding.ASCII.GetBytes("Connection: close\r\n");
    private static readonly SearchValues<byte> MethodChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ-_"u8);

    private int _requests;

    // Set when response bytes arrive (the reader's thread), cleared by the next write (the writer's).
    private volatile bool _responded = true;

    public override bool CanRead => inner.CanRead;

    public override bool CanWrite => inner.CanWrite;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => Responded(inner.Read(buffer));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Responded(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (LastRequest(buffer) is { } line)
        {
            inner.Write(WithClose(buffer, line));
            return;
        }

        inner.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        LastRequest(buffer.Span) is { } line
            ? inner.WriteAsync(WithClose(buffer.Span, line), cancellationToken)
            : inner.WriteAsync(buffer, cancellationToken);

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override ValueTask DisposeAsync() => inner.DisposeAsync();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
    }

    /// <summary>The length of the HTTP/1.x request line (with its CRLF) <paramref name="bytes"/> starts with, or null.</summary>
    internal static int? RequestLineLength(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf("\r\n"u8);
        if (end < 0)
        {
            return null;
        }

        var line = bytes[..end];
        var space = line.IndexOf((byte)' ');
        if (space <= 0 || line[..space].ContainsAnyExcept(MethodChars) || !(line.EndsWith(" HTTP/1.1"u8) || line.EndsWith(" HTTP/1.0"u8)))
        {
            return null;
        }

        return end + 2;
    }

    private int Responded(int read)
    {
        if (read > 0)
        {
            _responded = true;
        }

        return read;
    }

    // The length of the request line when this write starts the connection's last allowed request, else null.
    private int? LastRequest(ReadOnlySpan<byte> buffer)
    {
        if (!_responded)
        {
            return null;
        }

        _responded = false;
        if (RequestLineLength(buffer) is not { } line)
        {
            return null;
        }

        _requests++;
        return _requests >= maxRequests ? line : null;
    }

    private static byte[] WithClose(ReadOnlySpan<byte> buffer, int lineLength)
    {
        var copy = new byte[buffer.Length + CloseHeader.Length];
        buffer[..lineLength].CopyTo(copy);
        CloseHeader.CopyTo(copy.AsSpan(lineLength));
        buffer[lineLength..].CopyTo(copy.AsSpan(lineLength + CloseHeader.Length));
        return copy;
    }
}
