namespace Higress.Core.Plan;

/// <summary>How a path is compared.</summary>
public enum PathMatchKind
{
    /// <summary>The whole path equals the value.</summary>
    Exact,
    /// <summary>The path starts with the value on a segment boundary (<c>/abc</c> matches <c>/abc/x</c>, not <c>/abcd</c>).</summary>
    Prefix,
    /// <summary>The whole path matches a .NET regular expression.</summary>
    Regex,
}

/// <summary>A path condition.</summary>
/// <param name="Kind">How to compare.</param>
/// <param name="Value">The path, prefix or pattern.</param>
/// <param name="IgnoreCase">Compare case-insensitively (native <c>ignoreUriCase</c>).</param>
public sealed record PathMatch(PathMatchKind Kind, string Value, bool IgnoreCase = false)
{
    /// <summary>Matches every path.</summary>
    public static PathMatch Any { get; } = new(PathMatchKind.Prefix, "/");
}
