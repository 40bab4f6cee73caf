namespace Higress.Core.Resources;

/// <summary>An Extension (<c>networking.higress.io/v1alpha1</c>): a plugin instance with its config, phase, priority and targets.</summary>
public sealed record Extension() : Resource(ResourceKinds.Extension, ResourceKinds.HigressNetworkingV1Alpha1)
{
    /// <summary>The plugin, its config and where it applies.</summary>
    public ExtensionSpec Spec { get; init; } = new();
}
