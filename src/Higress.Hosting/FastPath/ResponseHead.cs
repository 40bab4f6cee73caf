using System.Buffers;
using System.Text;
using Microsoft.Net.Http.Headers;

namespace Higress.Hosting.FastPath;

/// <summary>
/// An upstream's response head, parsed strictly: an HTTP/1.0 or 1.1 status line, header lines ending in CRLF, no bare
/// CR or LF, no obsolete line folding, header names that are tokens, values without control characters, and one
/// unambiguous body framing (not both <c>Content-Length</c> and <c>Transfer-Encoding</c>, no differing
/// <c>Content-Length</c> values, no transfer coding but <c>chunked</c>). Anything else is an
/// <see cref="UpstreamProtocolException"/>: the fast path never guesses where a response ends.
/// </summary>
internal sealed class ResponseHead
{
    /// <summary>The longest response head accepted (status line and headers), as HttpClient's default.</summary>
    public const int MaxLength = 64 * 1024;

    private static readonly SearchValues<byte> TokenBytes = SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();

    private ResponseHead(int status, List<KeyValuePair<string, string>> headers)
    {
        Status = status;
        Headers = headers;
    }

    public int Status { get; }

    /// <summary>The headers in arrival order, hop-by-hop ones included (the caller filters).</summary>
    public List<KeyValuePair<string, string>> Headers { get; }

    public long? ContentLength { get; private set; }

    public bool Chunked { get; private set; }

    /// <summary>Whether the upstream allows another request on the connection after this response.</summary>
    public bool KeepAlive { get; private set; }

    /// <summary>Header names the upstream's <c>Connection</c> header lists (hop-by-hop for this response), or null.</summary>
    public List<string>? ConnectionListed { get; private set; }

    /// <summary>The body's framing, given whether the request was a HEAD request.</summary>
    public ResponseFraming Framing(bool headRequest) =>
        headRequest || Status is 204 or 304 || Status < 200 ? ResponseFraming.None
        : Chunked ? ResponseFraming.Chunked
        : ContentLength is not null ? ResponseFraming.ContentLength
        : ResponseFraming.UntilClose;

    /// <summary>
    /// Parses a head from the start of <paramref name="buffer"/>. Returns null when the head is not complete yet;
    /// otherwise <paramref name="consumed"/> is where the body starts.
    /// </summary>
    /// <param name="buffer">The bytes received so far.</param>
    /// <param name="consumed">Where the body starts, when a head was parsed.</param>
    /// <param name="previous">
    /// The header list of the connection's previous response, to be refilled: a value equal to the one at the same
    /// place last time keeps its string (an upstream's answers repeat most of their headers), and no list is allocated.
    /// Its old contents are gone once this returns a head.
    /// </param>
    public static ResponseHead? TryParse(ReadOnlySequence<byte> buffer, out SequencePosition consumed, List<KeyValuePair<string, string>>? previous = null)
    {
        consumed = buffer.Start;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> head, HeadEnd, advancePastDelimiter: true))
        {
            if (buffer.Length > MaxLength)
            {
                throw new UpstreamProtocolException($"the upstream's response head is longer than {MaxLength} bytes");
            }

            // A bare LF cannot end a head we accept; refuse it as soon as it is seen rather than at the size limit.
            CheckLineEnds(buffer, partial: true);
            return null;
        }

        if (head.Length + 4 > MaxLength)
        {
            throw new UpstreamProtocolException($"the upstream's response head is longer than {MaxLength} bytes");
        }

        consumed = reader.Position;
        var length = (int)head.Length + 2;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            head.CopyTo(rented);
            rented[length - 2] = (byte)'\r';
            rented[length - 1] = (byte)'\n';
            return Parse(rented.AsSpan(0, length), previous ?? new List<KeyValuePair<string, string>>(12));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    // Every line, the last included, ends in CRLF here.
    private static ResponseHead Parse(ReadOnlySpan<byte> head, List<KeyValuePair<string, string>> headers)
    {
        CheckLineEnds(head);
        var end = head.IndexOf("\r\n"u8);
        var status = ParseStatusLine(head[..end], out var http10);
        var rest = head[(end + 2)..];
        var reusable = headers.Count;
        var count = 0;
        var result = new ResponseHead(status, headers) { KeepAlive = !http10 };
        string? transferEncoding = null;
        while (rest.Length > 0)
        {
            end = rest.IndexOf("\r\n"u8);
            var line = rest[..end];
            rest = rest[(end + 2)..];
            if (line[0] is (byte)' ' or (byte)'\t')
            {
                throw new UpstreamProtocolException("the upstream's response folds a header over lines (obsolete line folding)");
            }

            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || line[..colon].IndexOfAnyExcept(TokenBytes) >= 0)
            {
                throw new UpstreamProtocolException("the upstream's response has a header line without a valid name (a name is a token: no whitespace, no separators)");
            }

            var value = line[(colon + 1)..].Trim(" \t"u8);
            foreach (var b in value)
            {
                if ((b < 0x20 && b != (byte)'\t') || b == 0x7F)
                {
                    throw new UpstreamProtocolException("the upstream's response has a control character in a header value");
                }
            }

            var last = count < reusable ? headers[count] : default;
            var name = last.Key is { } lastName && Ascii.Equals(line[..colon], lastName) ? lastName : KnownName(line[..colon]);
            string text;
            if (ReferenceEquals(last.Key, name) && Ascii.Equals(value, last.Value))
            {
                text = last.Value;
            }
            else
            {
                text = Encoding.Latin1.GetString(value);
                if (count < reusable)
                {
                    headers[count] = new KeyValuePair<string, string>(name, text);
                }
                else
                {
                    headers.Add(new KeyValuePair<string, string>(name, text));
                }
            }

            count++;
            if (string.Equals(name, HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase))
            {
                result.AddContentLength(text);
            }
            else if (string.Equals(name, HeaderNames.TransferEncoding, StringComparison.OrdinalIgnoreCase))
            {
                transferEncoding = transferEncoding is null ? text : transferEncoding + "," + text;
            }
            else if (string.Equals(name, HeaderNames.Connection, StringComparison.OrdinalIgnoreCase))
            {
                result.AddConnection(text, http10);
            }
        }

        if (count < headers.Count)
        {
            headers.RemoveRange(count, headers.Count - count);
        }

        if (transferEncoding is not null)
        {
            if (result.ContentLength is not null)
            {
                throw new UpstreamProtocolException("the upstream's response has both Content-Length and Transfer-Encoding");
            }

            if (!string.Equals(transferEncoding.Trim(), "chunked", StringComparison.OrdinalIgnoreCase))
            {
                throw new UpstreamProtocolException($"the upstream's response has Transfer-Encoding '{transferEncoding}'; only 'chunked' is forwarded");
            }

            result.Chunked = true;
        }

        return result;
    }

    private static int ParseStatusLine(ReadOnlySpan<byte> line, out bool http10)
    {
        // HTTP/1.x SP 3DIGIT SP reason-phrase (the reason may be empty, and then the second SP is optional in practice).
        http10 = line.StartsWith("HTTP/1.0 "u8);
        if (!(http10 || line.StartsWith("HTTP/1.1 "u8)) || line.Length < 12
            || !char.IsAsciiDigit((char)line[9]) || !char.IsAsciiDigit((char)line[10]) || !char.IsAsciiDigit((char)line[11])
            || (line.Length > 12 && line[12] != (byte)' '))
        {
            throw new UpstreamProtocolException("the upstream's response does not start with a valid HTTP/1.1 status line");
        }

        var status = ((line[9] - '0') * 100) + ((line[10] - '0') * 10) + (line[11] - '0');
        if (status < 100 || status > 599)
        {
            throw new UpstreamProtocolException($"the upstream's response has status {status}, outside 100-599");
        }

        foreach (var b in line[12..])
        {
            if ((b < 0x20 && b != (byte)'\t') || b == 0x7F)
            {
                throw new UpstreamProtocolException("the upstream's status line has a control character");
            }
        }

        return status;
    }

    // CR only before LF, LF only after CR.
    private static void CheckLineEnds(ReadOnlySpan<byte> bytes)
    {
        var i = bytes.IndexOfAny((byte)'\r', (byte)'\n');
        while (i >= 0)
        {
            if (bytes[i] == (byte)'\n' || i + 1 >= bytes.Length || bytes[i + 1] != (byte)'\n')
            {
                throw new UpstreamProtocolException("the upstream's response head has a bare CR or LF");
            }

            var next = bytes[(i + 2)..].IndexOfAny((byte)'\r', (byte)'\n');
            i = next < 0 ? -1 : i + 2 + next;
        }
    }

    private static void CheckLineEnds(ReadOnlySequence<byte> buffer, bool partial)
    {
        var length = (int)Math.Min(buffer.Length, MaxLength + 1);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            buffer.Slice(0, length).CopyTo(rented);
            var span = rented.AsSpan(0, length);

            // The last byte may be a CR whose LF has not arrived yet.
            if (partial && span.Length > 0 && span[^1] == (byte)'\r')
            {
                span = span[..^1];
            }

            CheckLineEnds(span);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private void AddContentLength(string value)
    {
        foreach (var part in value.AsSpan().Split(','))
        {
            var text = value.AsSpan(part).Trim();
            if (text.Length == 0 || text.Length > 18 || text.ContainsAnyExceptInRange('0', '9'))
            {
                throw new UpstreamProtocolException($"the upstream's response has an invalid Content-Length '{value}'");
            }

            var length = long.Parse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture);
            if (ContentLength is { } previous && previous != length)
            {
                throw new UpstreamProtocolException("the upstream's response has differing Content-Length values");
            }

            ContentLength = length;
        }
    }

    private void AddConnection(string value, bool http10)
    {
        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (string.Equals(part, "close", StringComparison.OrdinalIgnoreCase))
            {
                KeepAlive = false;
            }
            else if (string.Equals(part, "keep-alive", StringComparison.OrdinalIgnoreCase))
            {
                KeepAlive = KeepAlive || http10;
            }
            else
            {
                (ConnectionListed ??= []).Add(part);
            }
        }
    }

    // The names almost every response has come from constants: no string per header per response.
    private static string KnownName(ReadOnlySpan<byte> name) => name.Length switch
    {
        4 when Ascii.EqualsIgnoreCase(name, "Date"u8) => HeaderNames.Date,
        6 when Ascii.EqualsIgnoreCase(name, "Server"u8) => HeaderNames.Server,
        10 when Ascii.EqualsIgnoreCase(name, "Connection"u8) => HeaderNames.Connection,
        12 when Ascii.EqualsIgnoreCase(name, "Content-Type"u8) => HeaderNames.ContentType,
        14 when Ascii.EqualsIgnoreCase(name, "Content-Length"u8) => HeaderNames.ContentLength,
        17 when Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8) => HeaderNames.TransferEncoding,
        _ => Encoding.ASCII.GetString(name),
    };
}
