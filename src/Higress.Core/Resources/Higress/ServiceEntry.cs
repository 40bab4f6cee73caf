namespace Higress.Core.Resources;

/// <summary>A ServiceEntry (<c>networking.higress.io/v1alpha1</c>, Istio shape): a service outside the cluster and its traffic policy.</summary>
public sealed record ServiceEntry() : Resource(ResourceKinds.ServiceEntry, ResourceKinds.HigressNetworkingV1Alpha1)
{
    /// <summary>The service's hosts, ports, endpoints and policy.</summary>
    public ServiceEntrySpec Spec { get; init; } = new();
}
