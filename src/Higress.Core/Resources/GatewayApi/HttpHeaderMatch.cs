using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>An HTTPRoute header match (names compare case-insensitively).</summary>
public sealed record HttpHeaderMatch
{
    /// <summary>Exact (default) | RegularExpression.</summary>
    public ValueMatchType Type { get; init; } = ValueMatchType.Exact;

    /// <summary>The header name.</summary>
    [Required]
    public string Name { get; init; } = string.Empty;

    /// <summary>The value or pattern.</summary>
    [Required]
    public string Value { get; init; } = string.Empty;
}
