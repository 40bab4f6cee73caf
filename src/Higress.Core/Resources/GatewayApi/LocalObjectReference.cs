using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>A reference to an object in the same namespace.</summary>
public sealed record LocalObjectReference
{
    /// <summary>The group (required; e.g. <c>networking.higress.io</c>).</summary>
    public string Group { get; init; } = string.Empty;

    /// <summary>The kind (required; e.g. <c>Extension</c>).</summary>
    [Required]
    public string Kind { get; init; } = string.Empty;

    /// <summary>The name.</summary>
    [Required]
    public string Name { get; init; } = string.Empty;
}
