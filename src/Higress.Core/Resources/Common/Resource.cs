using System.Text.Json.Serialization;

namespace Higress.Core.Resources;

/// <summary>
/// A Kubernetes-shaped configuration object. Equality covers apiVersion, metadata and content but not
/// <see cref="Origin"/>, so that re-reading an unchanged file yields an equal object.
/// </summary>
public abstract record Resource
{
    /// <summary>Creates an object of <paramref name="kind"/> with <paramref name="apiVersion"/>.</summary>
    /// <param name="kind">The kind and group.</param>
    /// <param name="apiVersion">The default apiVersion.</param>
    /// <param name="namespaced">False for cluster-scoped kinds.</param>
    protected Resource(ResourceKind kind, string apiVersion, bool namespaced = true)
    {
        ResourceKind = kind;
        ApiVersion = apiVersion;
        IsNamespaced = namespaced;
    }

    /// <summary>The apiVersion the object was written with.</summary>
    [JsonIgnore]
    public string ApiVersion { get; init; }

    /// <summary>The kind and group.</summary>
    [JsonIgnore]
    public ResourceKind ResourceKind { get; }

    /// <summary>The kind, e.g. <c>Route</c>.</summary>
    [JsonIgnore]
    public string Kind => ResourceKind.Kind;

    /// <summary>False for cluster-scoped kinds (GatewayClass, Namespace).</summary>
    [JsonIgnore]
    public bool IsNamespaced { get; }

    /// <summary>The object's metadata.</summary>
    public ResourceMetadata Metadata { get; init; } = new();

    /// <summary>Where the object was read from.</summary>
    [JsonIgnore]
    public ResourceOrigin Origin { get; init; } = ResourceOrigin.Code;

    /// <summary>The name.</summary>
    [JsonIgnore]
    public string Name => Metadata.Name;

    /// <summary>The namespace; empty for cluster-scoped kinds.</summary>
    [JsonIgnore]
    public string Namespace => IsNamespaced ? Metadata.Namespace : string.Empty;

    /// <summary>The object's key.</summary>
    [JsonIgnore]
    public ResourceKey Key => new(ResourceKind, Namespace, Name);

    /// <summary><c>Route shop/orders</c>, for messages.</summary>
    [JsonIgnore]
    public string Display => Key.ToString();

    /// <inheritdoc />
    public virtual bool Equals(Resource? other) =>
        ReferenceEquals(this, other)
        || (other is not null && EqualityContract == other.EqualityContract && ApiVersion == other.ApiVersion && Metadata == other.Metadata);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(EqualityContract, ApiVersion, Metadata);
}
