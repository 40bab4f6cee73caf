namespace Higress.Core.Resources;

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
