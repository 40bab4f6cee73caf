using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Higress.Core.Grpc;

/// <summary>
/// Makes the answers the gateway produces itself gRPC-native on gRPC requests (content-type <c>application/grpc*</c>):
/// HTTP 200 with <c>grpc-status</c> and <c>grpc-message</c> in the response headers and no body, a trailers-only
/// response (one HEADERS frame that ends the stream on HTTP/2), which gRPC clients read as the call's status; a text
/// body would reach them as a protocol error. The status is mapped from the HTTP status the answer was decided with,
/// in one place (<see cref="FromHttpStatus"/>), unless the answer names its own (a timeout: DEADLINE_EXCEEDED).
/// <para>
/// Every local-answer writer (the hosting's local responses and gateway errors, a plugin that ends the request)
/// calls <see cref="Begin"/> before the response handlers run (they still see and may change the HTTP status) and
/// <see cref="TryComplete(HttpContext, string?)"/> instead of writing its body. The instance stays on the request as a feature, so that the
/// access log and metrics can read the HTTP status the answer was decided with.
/// </para>
/// </summary>
internal sealed class GrpcLocalReply
{
    /// <summary>The status header of a gRPC response.</summary>
    public const string StatusHeader = "grpc-status";

    /// <summary>The message header of a gRPC response (percent-encoded).</summary>
    public const string MessageHeader = "grpc-message";

    private const int MaxMessageLength = 1024;

    private GrpcLocalReply(GrpcStatusCode? status) => _override = status;

    private readonly GrpcStatusCode? _override;

    /// <summary>The HTTP status the answer was decided with, before it was sent as 200; 0 until completed.</summary>
    public int HttpStatus { get; private set; }

    /// <summary>The gRPC status sent; meaningful once <see cref="HttpStatus"/> is set.</summary>
    public GrpcStatusCode Status { get; private set; }

    /// <summary>True for a gRPC request: its content-type is <c>application/grpc</c> or a subtype (<c>+proto</c>, <c>-web</c>).</summary>
    public static bool IsGrpc(HttpRequest request) =>
        request.ContentType is { } type && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Envoy's HTTP-to-gRPC mapping (<c>Grpc::Utility::httpToGrpcStatus</c>), except that 429 is RESOURCE_EXHAUSTED, as
    /// Envoy's rate-limit filters answer gRPC requests.
    /// </summary>
    public static GrpcStatusCode FromHttpStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest => GrpcStatusCode.Internal,
        StatusCodes.Status401Unauthorized => GrpcStatusCode.Unauthenticated,
        StatusCodes.Status403Forbidden => GrpcStatusCode.PermissionDenied,
        StatusCodes.Status404NotFound => GrpcStatusCode.Unimplemented,
        StatusCodes.Status429TooManyRequests => GrpcStatusCode.ResourceExhausted,
        StatusCodes.Status502BadGateway or StatusCodes.Status503ServiceUnavailable or StatusCodes.Status504GatewayTimeout => GrpcStatusCode.Unavailable,
        _ => GrpcStatusCode.Unknown,
    };

    /// <summary>The request's local reply, when a local answer to a gRPC request is being produced; else null.</summary>
    public static GrpcLocalReply? Get(HttpContext context) => context.Features.Get<GrpcLocalReply>();

    /// <summary>
    /// The HTTP status the gateway decided the response with: the response's own, or for a local answer sent as a gRPC
    /// status, the HTTP status it was mapped from. Access-log flags and metrics that tell refusals apart read this.
    /// </summary>
    public static int DecidedStatus(HttpContext context) =>
        Get(context) is { HttpStatus: > 0 } reply ? reply.HttpStatus : context.Response.StatusCode;

    /// <summary>
    /// Marks the local answer being produced for <paramref name="context"/>; does nothing unless the request is gRPC
    /// and the response has not started. <paramref name="status"/> overrides the mapping of the HTTP status.
    /// </summary>
    public static void Begin(HttpContext context, GrpcStatusCode? status = null)
    {
        if (!context.Response.HasStarted && IsGrpc(context.Request))
        {
            context.Features.Set(new GrpcLocalReply(status));
        }
    }

    /// <summary>
    /// Sends the answer marked by <see cref="Begin"/> as a gRPC status, <paramref name="message"/> (the body the answer
    /// would have had) as its message. Returns false, changing nothing, when there is none or the response has started;
    /// true when the caller must write no body.
    /// </summary>
    public static bool TryComplete(HttpContext context, string? message)
    {
        var response = context.Response;
        if (Get(context) is not { } reply || response.HasStarted)
        {
            return false;
        }

        reply.HttpStatus = response.StatusCode;
        reply.Status = reply._override ?? FromHttpStatus(response.StatusCode);
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentLength = null;
        response.ContentType = "application/grpc";
        response.Headers.Remove("Transfer-Encoding");
        response.Headers.ContentEncoding = default;
        response.Headers[StatusHeader] = ((int)reply.Status).ToString(CultureInfo.InvariantCulture);
        response.Headers[MessageHeader] = EncodeMessage(string.IsNullOrWhiteSpace(message) ? Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(reply.HttpStatus) : message);
        return true;
    }

    /// <inheritdoc cref="TryComplete(HttpContext, string?)"/>
    public static bool TryComplete(HttpContext context, ReadOnlyMemory<byte> body) =>
        Get(context) is not null && TryComplete(context, body.IsEmpty ? null : Encoding.UTF8.GetString(body.Span[..Math.Min(body.Length, MaxMessageLength)]));

    // gRPC over HTTP/2: grpc-message is percent-encoded UTF-8; printable ASCII other than '%' goes as is. The gateway's
    // multi-line bodies become one line.
    private static string EncodeMessage(string message)
    {
        var text = message.Trim().ReplaceLineEndings("; ");
        if (text.Length > MaxMessageLength)
        {
            text = text[..MaxMessageLength];
        }

        var builder = new StringBuilder(text.Length);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value is >= 0x20 and <= 0x7E and not '%')
            {
                builder.Append((char)rune.Value);
                continue;
            }

            var length = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..length])
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
