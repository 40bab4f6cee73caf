using System.Buffers;
using System.IO.Pipelines;

namespace Higress.Hosting.FastPath;

/// <summary>
/// Copies an upstream response body to the client as it arrives, within its framing: exactly <c>Content-Length</c>
/// bytes, decoded chunks (Kestrel frames them again), or everything until the upstream closes. An upstream that ends
/// early fails the copy (<see cref="UpstreamClosedException"/>); a client that went away is a
/// <see cref="ClientGoneException"/>.
/// </summary>
internal static class ResponseBody
{
    public static async Task CopyAsync(PipeReader upstream, PipeWriter client, ResponseFraming framing, long length, CancellationToken cancellationToken)
    {
        switch (framing)
        {
            case ResponseFraming.ContentLength:
                await CopyLengthAsync(upstream, client, length, cancellationToken);
                break;
            case ResponseFraming.Chunked:
                await CopyChunkedAsync(upstream, client, cancellationToken);
                break;
            case ResponseFraming.UntilClose:
                await CopyToEndAsync(upstream, client, cancellationToken);
                break;
        }
    }

    private static async Task CopyLengthAsync(PipeReader upstream, PipeWriter client, long remaining, CancellationToken cancellationToken)
    {
        while (remaining > 0)
        {
            var result = await ReadAsync(upstream, cancellationToken);
            var buffer = result.Buffer;
            var take = buffer.Slice(0, Math.Min(remaining, buffer.Length));
            foreach (var segment in take)
            {
                client.Write(segment.Span);
            }

            remaining -= take.Length;
            upstream.AdvanceTo(take.End);
            if (remaining > 0 && result.IsCompleted)
            {
                throw new UpstreamClosedException(false);
            }

            await FlushAsync(client, cancellationToken);
        }
    }

    private static async Task CopyChunkedAsync(PipeReader upstream, PipeWriter client, CancellationToken cancellationToken)
    {
        var decoder = new ChunkedDecoder();
        while (true)
        {
            var result = await ReadAsync(upstream, cancellationToken);
            var buffer = result.Buffer;
            SequencePosition consumed;
            bool wrote;
            try
            {
                consumed = decoder.Decode(buffer, client, out wrote);
            }
            catch
            {
                upstream.AdvanceTo(buffer.Start);
                throw;
            }

            upstream.AdvanceTo(consumed, buffer.End);
            if (wrote)
            {
                await FlushAsync(client, cancellationToken);
            }

            if (decoder.IsDone)
            {
                return;
            }

            if (result.IsCompleted)
            {
                throw new UpstreamClosedException(false);
            }
        }
    }

    private static async Task CopyToEndAsync(PipeReader upstream, PipeWriter client, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await ReadAsync(upstream, cancellationToken);
            foreach (var segment in result.Buffer)
            {
                client.Write(segment.Span);
            }

            upstream.AdvanceTo(result.Buffer.End);
            await FlushAsync(client, cancellationToken);
            if (result.IsCompleted)
            {
                return;
            }
        }
    }

    private static async ValueTask<ReadResult> ReadAsync(PipeReader upstream, CancellationToken cancellationToken)
    {
        try
        {
            return await upstream.ReadAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            throw new UpstreamClosedException(false, ex);
        }
    }

    private static async ValueTask FlushAsync(PipeWriter client, CancellationToken cancellationToken)
    {
        FlushResult result;
        try
        {
            result = await client.FlushAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new ClientGoneException(ex);
        }

        if (result.IsCompleted)
        {
            throw new ClientGoneException(null);
        }
    }

    /// <summary>The client's side of the response failed (it went away).</summary>
    internal sealed class ClientGoneException(Exception? inner) : IOException("the client went away during the response", inner);
}
