using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>A native Higress Route (<c>networking.higress.io/v1alpha1</c>): HTTP rules for hosts on gateways, Istio VirtualService <c>http[]</c> shape.</summary>
public sealed record Route() : Resource(ResourceKinds.Route, ResourceKinds.HigressNetworkingV1Alpha1)
{
    /// <summary>The route's hosts, gateways and rules.</summary>
    public RouteSpec Spec { get; init; } = new();
}

/// <summary>The spec of a <see cref="Route"/>.</summary>
public sealed record RouteSpec
{
    /// <summary>Gateways to attach to (<c>name</c> or <c>namespace/name</c>); none = every native Gateway in the route's namespace whose listeners allow it.</summary>
    public EquatableArray<string> Gateways { get; init; }

    /// <summary>Hosts matched (<c>*.example.org</c> wildcards allowed); none = any host.</summary>
    [Hostname]
    public EquatableArray<string> Hosts { get; init; }

    /// <summary>The rules, in order.</summary>
    public EquatableArray<RouteRule> Http { get; init; }

    /// <summary>TCP rules (Istio <c>tcp[]</c>) for TCP listeners, in order; <c>hosts</c> do not apply to them.</summary>
    public EquatableArray<TcpRule> Tcp { get; init; }

    /// <summary>TLS passthrough rules (Istio <c>tls[]</c>) for TLS listeners in mode Passthrough, routed by SNI, in order.</summary>
    public EquatableArray<TlsRule> Tls { get; init; }
}
