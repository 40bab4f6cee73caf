using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>A reference to a certificate object, usually a Secret.</summary>
public sealed record SecretObjectReference
{
    /// <summary>The API group; default core (empty).</summary>
    public string Group { get; init; } = string.Empty;

    /// <summary>The kind; default <c>Secret</c>.</summary>
    public string Kind { get; init; } = "Secret";

    /// <summary>The name.</summary>
    [Required]
    public string Name { get; init; } = string.Empty;

    /// <summary>The namespace; default the referring object's (another namespace needs a ReferenceGrant).</summary>
    public string? Namespace { get; init; }
}
