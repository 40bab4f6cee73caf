using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>An HTTPRoute query parameter match (names compare exactly).</summary>
public sealed record HttpQueryParamMatch
{
    /// <summary>Exact (default) | RegularExpression.</summary>
    public ValueMatchType Type { get; init; } = ValueMatchType.Exact;

    /// <summary>The parameter name.</summary>
    [Required]
    public string Name { get; init; } = string.Empty;

    /// <summary>The value or pattern.</summary>
    [Required]
    public string Value { get; init; } = string.Empty;
}
