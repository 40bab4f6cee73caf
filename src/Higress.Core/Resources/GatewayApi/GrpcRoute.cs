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

/// <summary>A GRPCRoute rule.</summary>
public sealed record GrpcRouteRule
{
    /// <summary>The rule's name (optional).</summary>
    public string? Name { get; init; }

    /// <summary>Matches, OR'ed; none = every request.</summary>
    public EquatableArray<GrpcRouteMatch> Matches { get; init; }

    /// <summary>Filters: RequestHeaderModifier | ResponseHeaderModifier | RequestMirror | ExtensionRef.</summary>
    public EquatableArray<HttpRouteFilter> Filters { get; init; }

    /// <summary>Weighted backends.</summary>
    public EquatableArray<BackendRef> BackendRefs { get; init; }
}

/// <summary>A GRPCRoute match.</summary>
public sealed record GrpcRouteMatch
{
    /// <summary>The gRPC service and method.</summary>
    public GrpcMethodMatch? Method { get; init; }

    /// <summary>Header conditions.</summary>
    public EquatableArray<HttpHeaderMatch> Headers { get; init; }
}

/// <summary>A gRPC method match; at least one of service and method.</summary>
public sealed record GrpcMethodMatch
{
    /// <summary>Exact (default) | RegularExpression.</summary>
    public ValueMatchType Type { get; init; } = ValueMatchType.Exact;

    /// <summary>The service, e.g. <c>foo.bar.Greeter</c>.</summary>
    public string? Service { get; init; }

    /// <summary>The method, e.g. <c>SayHello</c>.</summary>
    public string? Method { get; init; }

    /// <summary>
    /// For <see cref="ValueMatchType.RegularExpression"/>: the path pattern the router runs. Each part is its own
    /// group, so that an alternation in one ('a|b') cannot swallow the '/' between them.
    /// </summary>
    internal string RegexPath => $"/(?:{Service ?? "[^/]+"})/(?:{Method ?? "[^/]+"})";
}
