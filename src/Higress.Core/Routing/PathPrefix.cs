namespace Higress.Core.Routing;

/// <summary>Segment-wise path prefix rules shared by matching and rewriting.</summary>
internal static class PathPrefix
{
    /// <summary>Drops trailing slashes (but keeps the root <c>/</c>): <c>/abc/</c> and <c>/abc</c> are the same prefix.</summary>
    public static string Normalize(string prefix)
    {
        if (string.IsNullOrEmpty(prefix))
        {
            return "/";
        }

        var trimmed = prefix.TrimEnd('/');
        return trimmed.Length == 0 ? "/" : trimmed;
    }

    /// <summary>True when <paramref name="path"/> starts with <paramref name="normalizedPrefix"/> on a segment boundary.</summary>
    public static bool Matches(string path, string normalizedPrefix, bool ignoreCase)
    {
        if (normalizedPrefix == "/")
        {
            return path.StartsWith('/');
        }

        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return path.StartsWith(normalizedPrefix, comparison)
            && (path.Length == normalizedPrefix.Length || path[normalizedPrefix.Length] == '/');
    }

    /// <summary>
    /// Replaces the first <paramref name="prefixLength"/> characters of <paramref name="path"/> (a matched, normalized prefix)
    /// with <paramref name="replacement"/>, the Gateway API's <c>ReplacePrefixMatch</c>: <c>/foo/bar</c> with <c>/foo</c>→<c>/xyz</c>
    /// gives <c>/xyz/bar</c>; with <c>/foo</c>→<c>/</c> gives <c>/bar</c>.
    /// </summary>
    public static string Replace(string path, int prefixLength, string replacement)
    {
        var rest = prefixLength == 1 && path.StartsWith('/') ? path[1..] : path[Math.Min(prefixLength, path.Length)..];
        if (prefixLength == 1 && rest.Length > 0)
        {
            rest = "/" + rest;
        }

        var head = Normalize(replacement);
        if (head == "/")
        {
            head = string.Empty;
        }

        var result = head + rest;
        return result.Length == 0 ? "/" : result[0] == '/' ? result : "/" + result;
    }
}
