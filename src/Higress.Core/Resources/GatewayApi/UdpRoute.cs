using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>A Gateway API UDPRoute (v1alpha2): forwards the datagrams of a UDP listener to weighted backends.</summary>
public sealed record UdpRoute() : Resource(ResourceKinds.UdpRoute, ResourceKinds.GatewayApiV1Alpha2)
{
    /// <summary>The parents and rules.</summary>
    public UdpRouteSpec Spec { get; init; } = new();
}

/// <summary>The spec of a <see cref="UdpRoute"/>.</summary>
public sealed record UdpRouteSpec
{
    /// <summary>The Gateways (or UDP listeners, by sectionName or port) to attach to.</summary>
    public EquatableArray<ParentReference> ParentRefs { get; init; }

    /// <summary>The rules; a UDP listener has nothing to choose between rules by, so only the first is served.</summary>
    [Required]
    public EquatableArray<UdpRouteRule> Rules { get; init; }
}
