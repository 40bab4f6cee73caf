namespace Higress.Core.Resources;

/// <summary>A UDPRoute rule: the backends that share the route's sessions by weight.</summary>
public sealed record UdpRouteRule
{
    /// <summary>The rule's name (optional).</summary>
    public string? Name { get; init; }

    /// <summary>Weighted backends (Services, with a port); a new client session picks one by weight.</summary>
    [Parsing.Required]
    public EquatableArray<BackendRef> BackendRefs { get; init; }
}
