namespace Higress.Core.Resources;

/// <summary>A Gateway API TCPRoute (<c>gateway.networking.k8s.io/v1alpha2</c>): byte streams on TCP listeners.</summary>
public sealed record TcpRoute() : Resource(ResourceKinds.TcpRoute, ResourceKinds.GatewayApiV1Alpha2)
{
    /// <summary>The parents and rules.</summary>
    public TcpRouteSpec Spec { get; init; } = new();
}

/// <summary>The spec of a <see cref="TcpRoute"/>.</summary>
public sealed record TcpRouteSpec
{
    /// <summary>The Gateways (or listeners) to attach to.</summary>
    public EquatableArray<ParentReference> ParentRefs { get; init; }

    /// <summary>The rules; a connection takes the first one (Gateway API allows one rule per TCPRoute in practice).</summary>
    public EquatableArray<StreamRouteRule> Rules { get; init; }
}

/// <summary>A rule of a TCPRoute or TLSRoute: weighted backends, one chosen per connection.</summary>
public sealed record StreamRouteRule
{
    /// <summary>The rule's name (optional).</summary>
    public string? Name { get; init; }

    /// <summary>Weighted backends; each connection goes to one of them.</summary>
    public EquatableArray<BackendRef> BackendRefs { get; init; }
}
