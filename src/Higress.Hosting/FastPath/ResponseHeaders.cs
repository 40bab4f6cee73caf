using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Higress.Hosting.FastPath;

/// <summary>Copies an upstream response's status and end-to-end headers to Kestrel's response, as YARP copies them.</summary>
internal static class ResponseHeaders
{
    /// <summary>
    /// The headers YARP never copies in either direction: RFC 9110's hop-by-hop headers and a few more, with
    /// <c>Trailer</c> (no trailers are forwarded over HTTP/1.1).
    /// </summary>
    public static readonly string[] HopByHop =
    [
        HeaderNames.Connection, HeaderNames.TransferEncoding, HeaderNames.KeepAlive, HeaderNames.Upgrade, HeaderNames.ProxyConnection,
        HeaderNames.ProxyAuthenticate, "Proxy-Authentication-Info", HeaderNames.ProxyAuthorization, "Proxy-Features", "Proxy-Instruction",
        "Security-Scheme", "ALPN", "Close", "HTTP2-Settings", HeaderNames.UpgradeInsecureRequests, HeaderNames.TE, HeaderNames.AltSvc,
        HeaderNames.Trailer,
    ];

    // The length is set from the parsed framing instead.
    private static readonly FrozenSet<string> Skipped = HopByHop.Append(HeaderNames.ContentLength).ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public static void Copy(ResponseHead head, HttpResponse response)
    {
        response.StatusCode = head.Status;
        var headers = response.Headers;
        var listed = head.ConnectionListed;
        foreach (var (name, value) in head.Headers)
        {
            if (Skipped.Contains(name) || (listed is not null && listed.Contains(name, StringComparer.OrdinalIgnoreCase)))
            {
                continue;
            }

            headers.Append(name, value);
        }

        // The length travels even where no body follows (a HEAD response), as YARP copies it; Kestrel refuses it on
        // a 204 and a 304.
        if (head.ContentLength is { } length && head.Status is not (StatusCodes.Status204NoContent or StatusCodes.Status304NotModified))
        {
            response.ContentLength = length;
        }
    }
}
