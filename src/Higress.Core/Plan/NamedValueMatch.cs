namespace Higress.Core.Plan;

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

/// <summary>A header or query-parameter condition.</summary>
/// <param name="Name">Header name (case-insensitive) or query parameter name (case-sensitive).</param>
/// <param name="Kind">How to compare.</param>
/// <param name="Value">The value or pattern; ignored for <see cref="ValueMatchKind.Present"/>.</param>
public sealed record NamedValueMatch(string Name, ValueMatchKind Kind, string Value);
