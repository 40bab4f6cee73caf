namespace Higress.Core.Routing;

/// <summary>
/// Hostname patterns, in one place for listeners, routes, plugin <c>matchRules</c> and TLS certificates: an exact name,
/// or a wildcard <c>*.example.com</c> that matches names below <c>example.com</c> at any depth
/// (<c>a.example.com</c>, <c>a.b.example.com</c>) but not <c>example.com</c> itself. Names compare case-insensitively.
/// </summary>
internal static class HostnamePattern
{
    /// <summary>True for a wildcard pattern (<c>*.x</c>).</summary>
    public static bool IsWildcard(string pattern) => pattern.StartsWith("*.", StringComparison.Ordinal);

    /// <summary>The suffix a wildcard pattern matches, with its leading dot: <c>.example.com</c> for <c>*.example.com</c>.</summary>
    public static string WildcardSuffix(string pattern) => pattern[1..];

    /// <summary>
    /// True when <paramref name="pattern"/> matches <paramref name="name"/>: the same name, or a wildcard covering it.
    /// <paramref name="name"/> may itself be a wildcard, which a pattern matches when it covers every name it stands for.
    /// </summary>
    public static bool Matches(string pattern, string name) =>
        string.Equals(pattern, name, StringComparison.OrdinalIgnoreCase) || Covers(pattern, name);

    /// <summary>True when wildcard <paramref name="pattern"/> covers <paramref name="name"/> and is not equal to it.</summary>
    public static bool Covers(string pattern, string name)
    {
        if (!IsWildcard(pattern))
        {
            return false;
        }

        var suffix = pattern.AsSpan(1);
        var candidate = IsWildcard(name) ? name.AsSpan(1) : name.AsSpan();
        return candidate.Length > suffix.Length && candidate.EndsWith(suffix, StringComparison.OrdinalIgnoreCase);
    }
}
