using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>Kubernetes object metadata: the fields Higress.Net reads.</summary>
[IgnoredFields("managedFields", "ownerReferences", "finalizers", "deletionTimestamp", "deletionGracePeriodSeconds", "generateName", "selfLink")]
public sealed record ResourceMetadata
{
    /// <summary>The namespace used when an object names none.</summary>
    public const string DefaultNamespace = "default";

    /// <summary>The object's name (required).</summary>
    [Required]
    public string Name { get; init; } = string.Empty;

    /// <summary>The namespace; <c>default</c> when absent, empty for cluster-scoped kinds (GatewayClass, Namespace).</summary>
    public string Namespace { get; init; } = DefaultNamespace;

    /// <summary>Labels.</summary>
    public EquatableMap<string> Labels { get; init; }

    /// <summary>Annotations.</summary>
    public EquatableMap<string> Annotations { get; init; }

    /// <summary>When the object was created; null for objects read from files without one (then read order counts).</summary>
    public DateTimeOffset? CreationTimestamp { get; init; }

    /// <summary>The spec generation (Kubernetes); 0 when unknown.</summary>
    public long Generation { get; init; }

    /// <summary>The resource version (Kubernetes), or null.</summary>
    public string? ResourceVersion { get; init; }

    /// <summary>The uid (Kubernetes), or null.</summary>
    public string? Uid { get; init; }
}
