using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>A backend of an HTTPRoute or GRPCRoute rule (also a mirror target).</summary>
public sealed record BackendRef
{
    /// <summary>The group; default core (empty).</summary>
    public string Group { get; init; } = string.Empty;

    /// <summary>The kind; default <c>Service</c> (also <c>ServiceEntry</c> of networking.higress.io).</summary>
    public string Kind { get; init; } = "Service";

    /// <summary>The name.</summary>
    [Required]
    public string Name { get; init; } = string.Empty;

    /// <summary>The namespace; default the route's (another namespace needs a ReferenceGrant).</summary>
    public string? Namespace { get; init; }

    /// <summary>The port (required for Services).</summary>
    [Port]
    public int? Port { get; init; }

    /// <summary>The relative weight, 0..1000000; default 1.</summary>
    [Range(0, 1_000_000)]
    public int Weight { get; init; } = 1;

    /// <summary>Filters applied to requests to this backend only.</summary>
    public EquatableArray<HttpRouteFilter> Filters { get; init; }
}
