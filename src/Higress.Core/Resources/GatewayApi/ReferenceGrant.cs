using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>A Gateway API ReferenceGrant (v1beta1): lets objects in other namespaces refer to objects in this one.</summary>
public sealed record ReferenceGrant() : Resource(ResourceKinds.ReferenceGrant, ResourceKinds.GatewayApiV1Beta1)
{
    /// <summary>Who may refer to what.</summary>
    public ReferenceGrantSpec Spec { get; init; } = new();
}

/// <summary>The spec of a <see cref="ReferenceGrant"/>.</summary>
public sealed record ReferenceGrantSpec
{
    /// <summary>The referring objects (group, kind, namespace).</summary>
    [Required]
    public EquatableArray<ReferenceGrantFrom> From { get; init; }

    /// <summary>The objects that may be referred to (group, kind, optional name).</summary>
    [Required]
    public EquatableArray<ReferenceGrantTo> To { get; init; }
}

/// <summary>A ReferenceGrant <c>from</c> item.</summary>
public sealed record ReferenceGrantFrom
{
    /// <summary>The group (empty = core).</summary>
    public string Group { get; init; } = string.Empty;

    /// <summary>The kind, e.g. <c>HTTPRoute</c>.</summary>
    [Required]
    public string Kind { get; init; } = string.Empty;

    /// <summary>The namespace.</summary>
    [Required]
    public string Namespace { get; init; } = string.Empty;
}

/// <summary>A ReferenceGrant <c>to</c> item.</summary>
public sealed record ReferenceGrantTo
{
    /// <summary>The group (empty = core).</summary>
    public string Group { get; init; } = string.Empty;

    /// <summary>The kind, e.g. <c>Service</c>.</summary>
    [Required]
    public string Kind { get; init; } = string.Empty;

    /// <summary>One object's name; none = every object of the kind.</summary>
    public string? Name { get; init; }
}
