using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>A Gateway API GRPCRoute.</summary>
public sealed record GrpcRoute() : Resource(ResourceKinds.GrpcRoute, ResourceKinds.GatewayApiV1)
{
    /// <summary>The parents, hostnames and rules.</summary>
    public GrpcRouteSpec Spec { get; init; } = new();
}

/// <summary>The spec of a <see cref="GrpcRoute"/>.</summary>
public sealed record GrpcRouteSpec
{
    /// <summary>The Gateways (or listeners) to attach to.</summary>
    public EquatableArray<ParentReference> ParentRefs { get; init; }

    /// <summary>Hostnames matched; none = the listeners'.</summary>
    [Hostname]
    public EquatableArray<string> Hostnames { get; init; }

    /// <summary>The rules.</summary>
    public EquatableArray<GrpcRouteRule> Rules { get; init; }
}
