using System.Net;
using Microsoft.Extensions.Primitives;

namespace Higress.Core.Plugins.BuiltIn.IpRestriction;

/// <summary>Reads the client address from a header such as <c>X-Forwarded-For</c>, as Higress's ip-restriction does.</summary>
internal static class ClientAddress
{
    /// <summary>
    /// The first address of the header's value (the leftmost hop of a list), with an optional port
    /// (<c>10.0.0.1:80</c>, <c>[2001:db8::1]:80</c>); null when the header is missing or that entry is not an address.
    /// </summary>
    public static IPAddress? FromHeader(StringValues values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var text = (values[0] ?? string.Empty).AsSpan();
        var comma = text.IndexOf(',');
        if (comma >= 0)
        {
            text = text[..comma];
        }

        text = text.Trim(' ');
        if (text.IsEmpty)
        {
            return null;
        }

        if (TryParse(text, out var address))
        {
            return address;
        }

        // Not a bare address: strip a port, "[v6]:port" or "v4:port".
        if (text[0] == '[')
        {
            var close = text.IndexOf(']');
            return close > 1 && TryParse(text[1..close], out address) ? address : null;
        }

        var colon = text.IndexOf(':');
        return colon > 0 && text[..colon].Contains('.') && TryParse(text[..colon], out address) ? address : null;
    }

    /// <summary>
    /// Parses an address strictly: IPv4 only as four decimal parts without leading zeros (the platform parser would
    /// also read <c>127.1</c> or <c>010.0.0.1</c>, which Higress refuses), IPv6 in any standard form, no zone.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (text.IsEmpty || text.Contains('%') || text[0] == '[' || (!text.Contains(':') && !IsDottedQuad(text)))
        {
            return false;
        }

        return IPAddress.TryParse(text, out address);
    }

    private static bool IsDottedQuad(ReadOnlySpan<char> text)
    {
        var parts = 0;
        foreach (var range in text.Split('.'))
        {
            var part = text[range];
            if (part.IsEmpty || part.Length > 3 || (part.Length > 1 && part[0] == '0') || !int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) || value > 255)
            {
                return false;
            }

            parts++;
        }

        return parts == 4;
    }
}
