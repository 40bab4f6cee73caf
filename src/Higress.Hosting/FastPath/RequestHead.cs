using System.Buffers;
using System.Collections.Frozen;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Text;
using Higress.Hosting.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Higress.Hosting.FastPath;

/// <summary>
/// Writes the upstream request head straight from Kestrel's request, once: the request line, <c>Host</c>, the
/// client's headers (after the rule's header edits) without hop-by-hop ones, the <c>X-Forwarded-*</c> headers as YARP's
/// default transforms set them, and one body framing of the fast path's own choosing.
/// </summary>
internal static class RequestHead
{
    /// <summary>
    /// Headers never forwarded: RFC 9110's hop-by-hop headers and the others YARP drops, the framing (written anew),
    /// <c>Host</c> (written first) and the forwarding headers (set from the connection, as YARP's defaults do).
    /// </summary>
    private static readonly FrozenSet<string> Skipped = ResponseHeaders.HopByHop.Concat(
    [
        HeaderNames.ContentLength, HeaderNames.Host, "Forwarded", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Prefix",
    ]).ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Writes the head; returns whether a body follows and whether it is chunked. With a gateway <paramref name="span"/>,
    /// its trace context replaces the client's in the configured formats, as the YARP path's request transform does.
    /// </summary>
    public static (bool HasBody, bool Chunked) Write(PipeWriter output, HttpContext context, string target, string host, Activity? span, TracePropagation propagation)
    {
        var request = context.Request;
        WriteAscii(output, request.Method);
        Write(output, " "u8);
        WriteAscii(output, target);
        Write(output, " HTTP/1.1\r\nHost: "u8);
        WriteValue(output, host);
        Write(output, "\r\n"u8);

        var headers = request.Headers;
        var listed = ConnectionListed(headers.Connection);
        foreach (var (name, values) in headers)
        {
            if (Skipped.Contains(name) || name.StartsWith(':') || (listed is not null && listed.Contains(name, StringComparer.OrdinalIgnoreCase))
                || (span is not null && propagation.Owns(name)))
            {
                continue;
            }

            foreach (var value in values)
            {
                WriteHeader(output, name, value ?? string.Empty);
            }
        }

        if (span is not null)
        {
            propagation.Inject(span, output, static (o, name, value) => WriteHeader(o, name, value));
        }

        // YARP's default transforms with the Set action: the client's own values are replaced.
        if (context.Connection.RemoteIpAddress is { } remote)
        {
            WriteHeader(output, "X-Forwarded-For", remote.ToString());
        }

        WriteHeader(output, "X-Forwarded-Proto", request.Scheme);
        if (request.Host.HasValue)
        {
            WriteHeader(output, "X-Forwarded-Host", request.Host.Value);
        }

        if (request.PathBase.HasValue)
        {
            WriteHeader(output, "X-Forwarded-Prefix", request.PathBase.Value);
        }

        // Kestrel has decoded the client's framing; the upstream gets exactly one: the length, or chunks.
        var hasBody = false;
        var chunked = false;
        if (headers.ContainsKey(HeaderNames.TransferEncoding))
        {
            // Kestrel decodes a chunked body even when a Content-Length came with it; never forward that length.
            Write(output, "Transfer-Encoding: chunked\r\n"u8);
            hasBody = chunked = true;
        }
        else if (request.ContentLength is { } length)
        {
            WriteHeader(output, HeaderNames.ContentLength, length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            hasBody = length > 0;
        }
        else if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
        {
            Write(output, "Transfer-Encoding: chunked\r\n"u8);
            hasBody = chunked = true;
        }

        Write(output, "\r\n"u8);
        return (hasBody, chunked);
    }

    private static List<string>? ConnectionListed(StringValues connection)
    {
        if (connection.Count == 0)
        {
            return null;
        }

        List<string>? listed = null;
        foreach (var value in connection)
        {
            foreach (var token in (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                (listed ??= []).Add(token);
            }
        }

        return listed;
    }

    private static void WriteHeader(PipeWriter output, string name, string value)
    {
        WriteAscii(output, name);
        Write(output, ": "u8);
        WriteValue(output, value);
        Write(output, "\r\n"u8);
    }

    // A CR, LF or NUL would end the header early and let the rest be read as another header or request.
    private static void WriteValue(PipeWriter output, string value)
    {
        if (value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
        {
            throw new InvalidOperationException("a request header value holds CR, LF or NUL and cannot be forwarded");
        }

        WriteAscii(output, value);
    }

    private static void WriteAscii(PipeWriter output, string text)
    {
        var span = output.GetSpan(text.Length);
        var written = Encoding.Latin1.GetBytes(text, span);
        output.Advance(written);
    }

    private static void Write(PipeWriter output, ReadOnlySpan<byte> bytes) => output.Write(bytes);
}
