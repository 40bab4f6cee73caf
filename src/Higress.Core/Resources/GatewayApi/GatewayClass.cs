using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>A Gateway API GatewayClass (cluster-scoped): which controller serves Gateways of this class.</summary>
public sealed record GatewayClass() : Resource(ResourceKinds.GatewayClass, ResourceKinds.GatewayApiV1, namespaced: false)
{
    /// <summary>The controller and parameters.</summary>
    public GatewayClassSpec Spec { get; init; } = new();
}

/// <summary>The spec of a <see cref="GatewayClass"/>.</summary>
public sealed record GatewayClassSpec
{
    /// <summary>The controller, e.g. <c>higress.io/gateway-controller</c>.</summary>
    [Required]
    public string ControllerName { get; init; } = string.Empty;

    /// <summary>A description.</summary>
    public string? Description { get; init; }

    /// <summary>Controller-specific parameters (loosely typed).</summary>
    public EquatableJson? ParametersRef { get; init; }
}
