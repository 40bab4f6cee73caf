using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>A Gateway API TLSRoute (<c>gateway.networking.k8s.io/v1alpha2</c>): TLS streams routed by SNI, passed through untouched.</summary>
public sealed record TlsRoute() : Resource(ResourceKinds.TlsRoute, ResourceKinds.GatewayApiV1Alpha2)
{
    /// <summary>The parents, hostnames and rules.</summary>
    public TlsRouteSpec Spec { get; init; } = new();
}

/// <summary>The spec of a <see cref="TlsRoute"/>.</summary>
public sealed record TlsRouteSpec
{
    /// <summary>The Gateways (or listeners) to attach to.</summary>
    public EquatableArray<ParentReference> ParentRefs { get; init; }

    /// <summary>The SNI names matched (<c>*.example.com</c> wildcards allowed); none = the listener's hostnames.</summary>
    [Hostname]
    public EquatableArray<string> Hostnames { get; init; }

    /// <summary>The rules; a connection takes the first one.</summary>
    public EquatableArray<StreamRouteRule> Rules { get; init; }
}
