using System.Text;
using Higress.Core.Plan;
using Higress.Core.Resources;
using Microsoft.AspNetCore.Http;

namespace Higress.Core.Plugins;

/// <summary>
/// One request as the plugins see it: the <see cref="Microsoft.AspNetCore.Http.HttpContext"/>, the matched
/// rule and the state plugins share (the consumer). Created once per request by the chain and shared by the
/// request and response handlers; find it again with <see cref="Get"/>.
/// </summary>
public sealed class PluginContext
{
    /// <summary>Creates a context; the chain does this, tests of plugins may too.</summary>
    /// <param name="httpContext">The request.</param>
    /// <param name="route">The matched rule.</param>
    public PluginContext(HttpContext httpContext, RoutePlan route)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(route);
        HttpContext = httpContext;
        Route = route;
    }

    /// <summary>The request.</summary>
    public HttpContext HttpContext { get; }

    /// <summary>The matched rule.</summary>
    public RoutePlan Route { get; }

    /// <summary>
    /// The header that carries the authenticated consumer to the upstream (Higress's name). The gateway removes it
    /// from every client request before matching, so only an authentication plugin can set it.
    /// </summary>
    public const string ConsumerHeader = "X-Mse-Consumer";

    /// <summary>
    /// The caller's identity as established by an authentication plugin (for example the key-auth consumer
    /// name), or null. Later plugins (rate limits, counters), logs and metrics key on it. Setting it also sets
    /// <see cref="ConsumerHeader"/> on the request that is forwarded (null removes it).
    /// </summary>
    public string? Consumer
    {
        get => _consumer;
        set
        {
            _consumer = value;
            if (value is null)
            {
                HttpContext.Request.Headers.Remove(ConsumerHeader);
            }
            else
            {
                HttpContext.Request.Headers[ConsumerHeader] = value;
            }
        }
    }

    private string? _consumer;

    /// <summary>
    /// The verified client certificate's identity on a mutual-TLS listener (<c>tls.frontendValidation</c>), or null
    /// when the connection has none.
    /// </summary>
    public ClientCertificateIdentity? ClientCertificate => ClientCertificateIdentity.Of(HttpContext);

    /// <summary>
    /// True when a plugin ended the request (<see cref="PluginResult.Respond"/>, or a failure answered 500).
    /// Response handlers can always change status and headers; a replaced body is written for local and
    /// proxied responses as long as the response has not started.
    /// </summary>
    public bool IsLocalResponse { get; internal set; }

    /// <summary>The replacement body set by <see cref="SetResponseBody(ReadOnlyMemory{byte}, string?)"/>, or null.</summary>
    public ReadOnlyMemory<byte>? ResponseBody { get; private set; }

    /// <summary>
    /// The long-lived state of the plugin instance whose handler is running (what its
    /// <see cref="IHigressPlugin.CreateState"/> returned), or null. It outlives the request and the plan, and is shared
    /// by concurrent requests: it must be thread-safe.
    /// </summary>
    public object? InstanceState { get; internal set; }

    /// <summary>
    /// The fail strategy of the plugin instance whose handler is running (the Extension's <c>failStrategy</c>): a
    /// plugin that answers its own failures (a policy that cannot be evaluated) follows it; exceptions are the chain's.
    /// </summary>
    public FailStrategy FailStrategy { get; internal set; }

    /// <summary>
    /// The upstream's response while response handlers run on a proxied response (set by the runtime), or null for
    /// a local response; <see cref="ReadResponseBodyAsync"/> reads its body.
    /// </summary>
    public HttpResponseMessage? UpstreamResponse { get; internal set; }

    /// <summary>
    /// The request-body phase: reads the request body, up to <paramref name="limit"/> bytes, buffering it so that the
    /// upstream still receives the whole body (in memory up to 64 KB, then in a temporary file). A body larger than
    /// the limit is not returned and passes on unread (<see cref="BodyReadResult.TooLarge"/>); the plugin decides
    /// whether that is a 413. Call it from a request handler; reading twice returns the same bytes.
    /// </summary>
    /// <param name="limit">The most bytes to buffer (the plugin's configured limit; less than 2 GB).</param>
    /// <returns>The body, or <see cref="BodyReadResult.TooLarge"/>.</returns>
    public async ValueTask<BodyReadResult> ReadRequestBodyAsync(long limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(limit, (long)Array.MaxLength);
        var request = HttpContext.Request;
        if (request.ContentLength > limit)
        {
            return new BodyReadResult(ReadOnlyMemory<byte>.Empty, TooLarge: true);
        }

        if (!request.Body.CanSeek)
        {
            request.EnableBuffering();
        }

        request.Body.Position = 0;
        var (body, tooLarge) = await ReadUpToAsync(request.Body, limit, HttpContext.RequestAborted).ConfigureAwait(false);
        request.Body.Position = 0;
        return new BodyReadResult(tooLarge ? ReadOnlyMemory<byte>.Empty : body, tooLarge);
    }

    /// <summary>
    /// The response-body phase: reads the upstream's response body, up to <paramref name="limit"/> bytes, from a
    /// response handler. The client still receives the whole body unless a handler replaces it with
    /// <see cref="SetResponseBody(ReadOnlyMemory{byte}, string?)"/>; a larger body is not returned and passes on unread.
    /// For a local response (no upstream) the result is empty.
    /// </summary>
    /// <param name="limit">The most bytes to buffer.</param>
    /// <returns>The body, or <see cref="BodyReadResult.TooLarge"/>.</returns>
    public async ValueTask<BodyReadResult> ReadResponseBodyAsync(long limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(limit, (long)Array.MaxLength);
        if (UpstreamResponse?.Content is not { } content)
        {
            return new BodyReadResult(ReadOnlyMemory<byte>.Empty, TooLarge: false);
        }

        if (content.Headers.ContentLength > limit)
        {
            return new BodyReadResult(ReadOnlyMemory<byte>.Empty, TooLarge: true);
        }

        var stream = await content.ReadAsStreamAsync(HttpContext.RequestAborted).ConfigureAwait(false);
        var (body, tooLarge) = await ReadUpToAsync(stream, limit, HttpContext.RequestAborted).ConfigureAwait(false);

        // What was read is put back in front of the rest, so the client receives every byte.
        var replay = new StreamContent(new PrefixedStream(body, stream));
        foreach (var header in content.Headers)
        {
            replay.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        UpstreamResponse.Content = replay;
        return new BodyReadResult(tooLarge ? ReadOnlyMemory<byte>.Empty : body, tooLarge);
    }

    private static async ValueTask<(ReadOnlyMemory<byte> Body, bool TooLarge)> ReadUpToAsync(Stream stream, long limit, CancellationToken cancellationToken)
    {
        // One byte past the limit tells "exactly the limit" from "larger".
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (buffer.Length <= limit)
        {
            var want = (int)Math.Min(chunk.Length, limit + 1 - buffer.Length);
            var read = await stream.ReadAsync(chunk.AsMemory(0, want), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            buffer.Write(chunk, 0, read);
        }

        return (buffer.GetBuffer().AsMemory(0, (int)buffer.Length), buffer.Length > limit);
    }

    /// <summary>How many plugins' request handlers ran; their response handlers run in reverse order.</summary>
    internal int EnteredCount { get; set; }

    /// <summary>The plugin that ended the request with a local response (telemetry names it), or null.</summary>
    internal string? EndedBy { get; set; }

    /// <summary>Finds the context the chain stored for this request, or null when no plugin ran.</summary>
    /// <param name="httpContext">The request.</param>
    /// <returns>The context, or null.</returns>
    public static PluginContext? Get(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        return httpContext.Features.Get<PluginContext>();
    }

    /// <summary>
    /// Replaces the response body (of a local or a proxied response). The chain writes it with a matching
    /// Content-Length when the response handlers are done; the upstream body, if any, is discarded.
    /// </summary>
    /// <param name="body">The new body.</param>
    /// <param name="contentType">The content type, or null to keep the current one.</param>
    public void SetResponseBody(ReadOnlyMemory<byte> body, string? contentType = null)
    {
        ResponseBody = body;
        if (contentType is not null)
        {
            HttpContext.Response.ContentType = contentType;
        }
    }

    /// <summary>Replaces the response body with UTF-8 text.</summary>
    /// <param name="body">The new body.</param>
    /// <param name="contentType">The content type, or null to keep the current one.</param>
    public void SetResponseBody(string body, string? contentType = null) => SetResponseBody(Encoding.UTF8.GetBytes(body), contentType);

    /// <summary>Forgets a replacement body.</summary>
    internal void ClearResponseBody() => ResponseBody = null;
}
