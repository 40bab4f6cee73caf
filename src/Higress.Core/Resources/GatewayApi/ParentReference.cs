using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>A route's parent (a Gateway, or one of its listeners).</summary>
public sealed record ParentReference
{
    /// <summary>The group; default <c>gateway.networking.k8s.io</c>.</summary>
    public string Group { get; init; } = ResourceKinds.GatewayApiGroup;

    /// <summary>The kind; default <c>Gateway</c>.</summary>
    public string Kind { get; init; } = "Gateway";

    /// <summary>The namespace; default the route's.</summary>
    public string? Namespace { get; init; }

    /// <summary>The name (required).</summary>
    [Required]
    public string Name { get; init; } = string.Empty;

    /// <summary>A listener name, to attach to that listener only.</summary>
    public string? SectionName { get; init; }

    /// <summary>A listener port, to attach to listeners on that port only.</summary>
    [Port]
    public int? Port { get; init; }
}
