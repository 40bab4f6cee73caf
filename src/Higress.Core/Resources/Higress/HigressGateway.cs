namespace Higress.Core.Resources;

/// <summary>A native Higress Gateway (<c>networking.higress.io/v1alpha1</c>): listeners and inline routes.</summary>
public sealed record HigressGateway() : Resource(ResourceKinds.HigressGateway, ResourceKinds.HigressNetworkingV1Alpha1)
{
    /// <summary>The gateway's listeners.</summary>
    public HigressGatewaySpec Spec { get; init; } = new();
}

/// <summary>The spec of a native <see cref="HigressGateway"/>.</summary>
public sealed record HigressGatewaySpec
{
    /// <summary>The listeners (ports) this gateway opens.</summary>
    public EquatableArray<HigressListener> Listeners { get; init; }
}
