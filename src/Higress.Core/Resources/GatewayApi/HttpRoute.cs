using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>A Gateway API HTTPRoute (v1; v1beta1 accepted).</summary>
public sealed record HttpRoute() : Resource(ResourceKinds.HttpRoute, ResourceKinds.GatewayApiV1)
{
    /// <summary>The parents, hostnames and rules.</summary>
    public HttpRouteSpec Spec { get; init; } = new();
}

/// <summary>The spec of an <see cref="HttpRoute"/>.</summary>
public sealed record HttpRouteSpec
{
    /// <summary>The Gateways (or listeners) to attach to.</summary>
    public EquatableArray<ParentReference> ParentRefs { get; init; }

    /// <summary>Hostnames matched; none = the listeners'.</summary>
    [Hostname]
    public EquatableArray<string> Hostnames { get; init; }

    /// <summary>The rules; none = one rule matching <c>PathPrefix /</c> with no backends.</summary>
    public EquatableArray<HttpRouteRule> Rules { get; init; }
}
