using System.Buffers;
using System.Text;

namespace Higress.Core.Routing;

/// <summary>The outcome of <see cref="PathNormalizer.Normalize"/>: the path as it goes on the wire and as matching sees it, or why it is refused.</summary>
/// <param name="Wire">The normalized path, percent-encoded: what the backend receives.</param>
/// <param name="Decoded">The same path decoded (UTF-8): what matching and plugins see as <c>Request.Path</c>.</param>
/// <param name="Error">Why the path is refused (400), or null.</param>
internal readonly record struct PathNormalization(string Wire, string Decoded, string? Error)
{
    public static PathNormalization Refused(string error) => new(string.Empty, string.Empty, error);
}

/// <summary>
/// One path, one truth: turns a raw request path into the single form that matching, every plugin and the backend see
/// (docs/security.md). The order is RFC 3986's (6.2.2): percent-encoding normalization (unreserved characters decoded,
/// the rest upper-case hex), then escaped slashes by policy, then dot-segment removal and slash merging. Pure, so that
/// the table of cases is unit-tested without a server.
/// </summary>
internal sealed class PathNormalizer(EscapedSlashAction escapedSlashes, bool mergeSlashes)
{
    // RFC 3986 pchar and '/', without ';': a semicolon starts path parameters for some servers (Tomcat, Jetty), which
    // strip them before mapping, so /admin;x=y would be /admin to the backend and another segment to the matcher.
    private static readonly SearchValues<char> Literal =
        SearchValues.Create("!$&'()*+,-./0123456789:=@ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~");

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private const string HexDigits = "0123456789ABCDEF";

    /// <summary>The action for <c>%2F</c>, <c>%5C</c> and a literal backslash.</summary>
    public EscapedSlashAction EscapedSlashes => escapedSlashes;

    /// <summary>
    /// True when <paramref name="raw"/> is already in normal form, so that the common request needs no work and no
    /// allocation: only literal path characters, no dot segments, no repeated slashes (when merging).
    /// </summary>
    public bool IsNormal(ReadOnlySpan<char> raw)
    {
        if (raw.Length == 0 || raw[0] != '/' || raw.IndexOfAnyExcept(Literal) >= 0)
        {
            return false;
        }

        for (var i = raw.IndexOf('/'); i >= 0 && i < raw.Length; i = NextSlash(raw, i + 1))
        {
            var rest = raw[(i + 1)..];
            if ((mergeSlashes && rest.Length > 0 && rest[0] == '/') || IsDotSegmentStart(rest))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Normalizes <paramref name="raw"/>, the path of a request target (no query), still percent-encoded.</summary>
    public PathNormalization Normalize(ReadOnlySpan<char> raw)
    {
        var encoded = new StringBuilder(raw.Length + 8);
        if (raw.Length == 0 || raw[0] != '/')
        {
            encoded.Append('/');
        }

        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            string? error;
            if (c == '%')
            {
                if (i + 2 >= raw.Length || !char.IsAsciiHexDigit(raw[i + 1]) || !char.IsAsciiHexDigit(raw[i + 2]))
                {
                    return PathNormalization.Refused($"invalid percent-encoding at offset {i}: '%' must be followed by two hex digits (encode a literal '%' as %25)");
                }

                var b = (HexValue(raw[i + 1]) << 4) | HexValue(raw[i + 2]);
                i += 2;
                error = AppendDecodedByte(encoded, b);
            }
            else if (c == '\\')
            {
                error = AppendEscapedSlash(encoded, "%5C");
            }
            else if (c == ';')
            {
                error = "';' (path parameters) is not accepted: servers disagree on whether it ends a segment; encode it as %3B if it is data";
            }
            else if (char.IsAsciiLetterOrDigit(c) || Literal.Contains(c))
            {
                encoded.Append(c);
                error = null;
            }
            else if (c < 0x20 || c == 0x7F || c > 0x7F)
            {
                error = "a raw control or non-ASCII character: percent-encode it (UTF-8)";
            }
            else
            {
                AppendHex(encoded, c);
                error = null;
            }

            if (error is not null)
            {
                return PathNormalization.Refused(error);
            }
        }

        var wire = RemoveDotSegments(encoded.ToString());
        var decoded = Decode(wire, keepEscapes: escapedSlashes == EscapedSlashAction.Keep);
        return decoded is null
            ? PathNormalization.Refused("percent-encoded bytes that are not UTF-8")
            : new PathNormalization(wire, decoded, null);
    }

    /// <summary>
    /// Encodes a decoded path (for example one a rewrite produced) for the wire, the inverse of the decoding in
    /// <see cref="Normalize"/>. With <see cref="EscapedSlashAction.Keep"/>, a decoded path still holds <c>%2F</c>,
    /// <c>%5C</c> and <c>%25</c> as text, so '%' is written as is; otherwise a '%' is a literal one.
    /// </summary>
    public string EncodeForWire(string path)
    {
        if (path.AsSpan().IndexOfAnyExcept(Literal) < 0)
        {
            return path;
        }

        var keepEscapes = escapedSlashes == EscapedSlashAction.Keep;
        var builder = new StringBuilder(path.Length + 16);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in path.EnumerateRunes())
        {
            if (rune.IsAscii && (Literal.Contains((char)rune.Value) || (keepEscapes && rune.Value == '%')))
            {
                builder.Append((char)rune.Value);
                continue;
            }

            var count = rune.EncodeToUtf8(utf8);
            for (var k = 0; k < count; k++)
            {
                AppendHex(builder, utf8[k]);
            }
        }

        return builder.ToString();
    }

    private string? AppendDecodedByte(StringBuilder encoded, int b)
    {
        if (b == 0)
        {
            return "%00 (a NUL byte) is not accepted in a path";
        }

        if (b < 0x20 || b == 0x7F)
        {
            return "an encoded control character is not accepted in a path";
        }

        if (char.IsAsciiLetterOrDigit((char)b) || b is '-' or '.' or '_' or '~')
        {
            encoded.Append((char)b);
            return null;
        }

        if (b is '/' or '\\')
        {
            return AppendEscapedSlash(encoded, b == '/' ? "%2F" : "%5C");
        }

        AppendHex(encoded, b);
        return null;
    }

    private string? AppendEscapedSlash(StringBuilder encoded, string escape)
    {
        switch (escapedSlashes)
        {
            case EscapedSlashAction.Decode:
                encoded.Append('/');
                return null;
            case EscapedSlashAction.Keep:
                encoded.Append(escape);
                return null;
            default:
                return "an encoded slash or a backslash (%2F, %5C or \\) is not accepted; set Higress:Security:EscapedSlashes to Keep or Decode to accept them";
        }
    }

    // RFC 3986 5.2.4 on whole segments, merging empty segments (repeated slashes) when asked; a path that ended in a
    // slash, "." or ".." keeps its trailing slash.
    private string RemoveDotSegments(string path)
    {
        var segments = path[1..].Split('/');
        var kept = new List<string>(segments.Length);
        var trailingSlash = false;
        for (var k = 0; k < segments.Length; k++)
        {
            var segment = segments[k];
            var last = k == segments.Length - 1;
            switch (segment)
            {
                case ".":
                    trailingSlash = last;
                    break;
                case "..":
                    if (kept.Count > 0)
                    {
                        kept.RemoveAt(kept.Count - 1);
                    }

                    trailingSlash = last;
                    break;
                case "" when last:
                    trailingSlash = true;
                    break;
                case "" when mergeSlashes:
                    break;
                default:
                    kept.Add(segment);
                    trailingSlash = false;
                    break;
            }
        }

        if (kept.Count == 0)
        {
            return "/";
        }

        return "/" + string.Join('/', kept) + (trailingSlash ? "/" : string.Empty);
    }

    private static string? Decode(string wire, bool keepEscapes)
    {
        if (!wire.Contains('%', StringComparison.Ordinal))
        {
            return wire;
        }

        var builder = new StringBuilder(wire.Length);
        var bytes = new List<byte>();
        for (var i = 0; i < wire.Length; i++)
        {
            var c = wire[i];
            if (c == '%')
            {
                var b = (byte)((HexValue(wire[i + 1]) << 4) | HexValue(wire[i + 2]));
                if (!(keepEscapes && b is (byte)'/' or (byte)'\\' or (byte)'%'))
                {
                    bytes.Add(b);
                    i += 2;
                    continue;
                }
            }

            if (!Flush(builder, bytes))
            {
                return null;
            }

            builder.Append(c);
        }

        return Flush(builder, bytes) ? builder.ToString() : null;
    }

    private static bool Flush(StringBuilder builder, List<byte> bytes)
    {
        if (bytes.Count == 0)
        {
            return true;
        }

        try
        {
            builder.Append(StrictUtf8.GetString(bytes.ToArray()));
            bytes.Clear();
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static int NextSlash(ReadOnlySpan<char> path, int from)
    {
        var next = path[from..].IndexOf('/');
        return next < 0 ? -1 : from + next;
    }

    private static bool IsDotSegmentStart(ReadOnlySpan<char> rest) =>
        (rest.Length >= 1 && rest[0] == '.' && (rest.Length == 1 || rest[1] == '/'))
        || (rest.Length >= 2 && rest[0] == '.' && rest[1] == '.' && (rest.Length == 2 || rest[2] == '/'));

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static void AppendHex(StringBuilder builder, int b) => builder.Append('%').Append(HexDigits[b >> 4]).Append(HexDigits[b & 15]);
}
