using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using Yarp.ReverseProxy.Forwarder;

namespace Higress.Hosting.FastPath;

/// <summary>
/// Copies the client's request body to the upstream as it arrives: with <c>Content-Length</c> byte for byte (Kestrel
/// enforces the length), otherwise re-framed as chunks of what each read returned.
/// </summary>
internal static class RequestBody
{
    public static async Task CopyAsync(PipeReader client, PipeWriter upstream, bool chunked, CancellationTokenSource call)
    {
        var cancellationToken = call.Token;
        try
        {
            while (true)
            {
                ReadResult result;
                try
                {
                    result = await client.ReadAsync(cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    throw new BodyException(ForwarderError.RequestBodyClient, ex);
                }

                var buffer = result.Buffer;
                if (!buffer.IsEmpty)
                {
                    if (chunked)
                    {
                        WriteChunkSize(upstream, buffer.Length);
                    }

                    foreach (var segment in buffer)
                    {
                        upstream.Write(segment.Span);
                    }

                    if (chunked)
                    {
                        upstream.Write("\r\n"u8);
                    }
                }

                client.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    if (chunked)
                    {
                        upstream.Write("0\r\n\r\n"u8);
                    }

                    await FlushAsync(upstream, cancellationToken);
                    return;
                }

                await FlushAsync(upstream, cancellationToken);
            }
        }
        catch
        {
            // Whatever waits for the response head must stop waiting: the request will not be complete.
            call.Cancel();
            throw;
        }
    }

    private static async ValueTask FlushAsync(PipeWriter upstream, CancellationToken cancellationToken)
    {
        try
        {
            await upstream.FlushAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new BodyException(ForwarderError.RequestBodyDestination, ex);
        }
    }

    private static void WriteChunkSize(PipeWriter upstream, long size)
    {
        var span = upstream.GetSpan(18);
        Utf8Formatter.TryFormat(size, span, out var written, new StandardFormat('X'));
        span[written++] = (byte)'\r';
        span[written++] = (byte)'\n';
        upstream.Advance(written);
    }

    /// <summary>The upload failed on one side; <see cref="Kind"/> says which, as YARP names it.</summary>
    internal sealed class BodyException(ForwarderError kind, Exception inner) : IOException(inner.Message, inner)
    {
        public ForwarderError Kind { get; } = kind;
    }
}
