namespace Higress.Core.Routing;

/// <summary>
/// Reads query parameters from the raw query string with exact (case-sensitive) names, as the Gateway API requires;
/// ASP.NET's <c>Request.Query</c> compares names case-insensitively, so it cannot be used for matching.
/// </summary>
internal static class QueryStringReader
{
    /// <summary>Finds the first parameter called <paramref name="name"/>; its value is percent-decoded.</summary>
    public static bool TryGetFirst(string query, string name, out string value)
    {
        var span = query.AsSpan();
        if (!span.IsEmpty && span[0] == '?')
        {
            span = span[1..];
        }

        while (!span.IsEmpty)
        {
            var amp = span.IndexOf('&');
            var pair = amp < 0 ? span : span[..amp];
            span = amp < 0 ? ReadOnlySpan<char>.Empty : span[(amp + 1)..];
            if (pair.IsEmpty)
            {
                continue;
            }

            var eq = pair.IndexOf('=');
            var rawName = eq < 0 ? pair : pair[..eq];
            var rawValue = eq < 0 ? ReadOnlySpan<char>.Empty : pair[(eq + 1)..];
            if (NameEquals(rawName, name))
            {
                value = Decode(rawValue);
                return true;
            }
        }

        value = string.Empty;
        return false;
    }

    private static bool NameEquals(ReadOnlySpan<char> raw, string name) =>
        raw.IndexOfAny('%', '+') < 0 ? raw.SequenceEqual(name) : string.Equals(Decode(raw), name, StringComparison.Ordinal);

    private static string Decode(ReadOnlySpan<char> raw)
    {
        if (raw.IndexOfAny('%', '+') < 0)
        {
            return raw.ToString();
        }

        return Uri.UnescapeDataString(raw.ToString().Replace('+', ' '));
    }
}
