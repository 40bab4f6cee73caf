namespace Higress.Core.Resources;

/// <summary>A route kind (and group) a listener accepts.</summary>
public sealed record RouteGroupKind
{
    /// <summary>The group; default <c>gateway.networking.k8s.io</c>.</summary>
    public string Group { get; init; } = ResourceKinds.GatewayApiGroup;

    /// <summary>The kind, e.g. <c>HTTPRoute</c>.</summary>
    [Parsing.Required]
    public string Kind { get; init; } = string.Empty;
}
