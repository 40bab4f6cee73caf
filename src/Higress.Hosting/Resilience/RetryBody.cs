using Higress.Core.Plugins;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Higress.Hosting.Resilience;

/// <summary>
/// Holds a request body in memory before forwarding so that a retry can send it again, when it fits the limit
/// (<c>Higress:Retries:MaxBufferedBody</c>). A larger body is streamed as usual and the request is not retried.
/// </summary>
internal static class RetryBody
{
    /// <summary>
    /// Reads up to <paramref name="limit"/> + 1 bytes. If the whole body fitted, it becomes the <see cref="UpstreamBody"/>
    /// feature and the request's body; otherwise what was read is put back in front of the rest.
    /// </summary>
    public static async Task BufferAsync(HttpContext context, int limit)
    {
        var request = context.Request;
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != true || request.ContentLength > limit)
        {
            return;
        }

        var buffer = new byte[(int)Math.Min(request.ContentLength ?? limit, limit) + 1];
        var read = 0;
        try
        {
            int n;
            while (read < buffer.Length && (n = await request.Body.ReadAsync(buffer.AsMemory(read), context.RequestAborted)) > 0)
            {
                read += n;
            }
        }
        catch (Exception ex) when (ex is IOException or BadHttpRequestException or OperationCanceledException)
        {
            // Forwarding meets the same failure and answers it (400, 408 or 413); the request is not retried.
            request.Body = new PrefixedStream(buffer.AsMemory(0, read), request.Body);
            return;
        }

        if (read > limit)
        {
            request.Body = new PrefixedStream(buffer.AsMemory(0, read), request.Body);
            return;
        }

        var body = buffer.AsMemory(0, read);
        context.Features.Set(new UpstreamBody(body));
        request.Body = new MemoryStream(buffer, 0, read, writable: false);
    }
}
