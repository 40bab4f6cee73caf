using Higress.Core.Resources;

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

/// <summary>How a header or query value is compared.</summary>
public enum ValueMatchKind
{
    /// <summary>Equal to the value.</summary>
    Exact,
    /// <summary>Starts with the value.</summary>
    Prefix,
    /// <summary>Fully matches a .NET regular expression.</summary>
    Regex,
    /// <summary>Present, whatever its value.</summary>
    Present,
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

/// <summary>A header or query-parameter condition.</summary>
/// <param name="Name">Header name (case-insensitive) or query parameter name (case-sensitive).</param>
/// <param name="Kind">How to compare.</param>
/// <param name="Value">The value or pattern; ignored for <see cref="ValueMatchKind.Present"/>.</param>
public sealed record NamedValueMatch(string Name, ValueMatchKind Kind, string Value);

/// <summary>One match of a rule: every condition must hold.</summary>
/// <param name="Path">The path condition.</param>
/// <param name="Method">The HTTP method, or null for any.</param>
/// <param name="Headers">Header conditions.</param>
/// <param name="QueryParams">Query parameter conditions.</param>
public sealed record RouteMatch(
    PathMatch Path,
    string? Method,
    EquatableArray<NamedValueMatch> Headers,
    EquatableArray<NamedValueMatch> QueryParams)
{
    /// <summary>Matches every request.</summary>
    public static RouteMatch Any { get; } = new(PathMatch.Any, null, EquatableArray<NamedValueMatch>.Empty, EquatableArray<NamedValueMatch>.Empty);
}
