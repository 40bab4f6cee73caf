using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>A Kubernetes EndpointSlice; its Service is named by the <c>kubernetes.io/service-name</c> label.</summary>
public sealed record EndpointSlice() : Resource(ResourceKinds.EndpointSlice, ResourceKinds.DiscoveryV1)
{
    /// <summary>The label naming the slice's Service.</summary>
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    /// <summary>IPv4 | IPv6 | FQDN.</summary>
    [Required]
    public string AddressType { get; init; } = "IPv4";

    /// <summary>The endpoints.</summary>
    public EquatableArray<EndpointSliceEndpoint> Endpoints { get; init; }

    /// <summary>The ports every endpoint serves.</summary>
    public EquatableArray<EndpointPort> Ports { get; init; }

    /// <summary>The Service this slice belongs to (from the label), or null.</summary>
    public string? ServiceName => Metadata.Labels.TryGetValue(ServiceNameLabel, out var name) ? name : null;
}

/// <summary>An EndpointSlice endpoint.</summary>
[IgnoredFields("targetRef", "deprecatedTopology", "hints")]
public sealed record EndpointSliceEndpoint
{
    /// <summary>The addresses (usually one).</summary>
    [Required]
    public EquatableArray<string> Addresses { get; init; }

    /// <summary>Readiness.</summary>
    public EndpointConditions Conditions { get; init; } = new();

    /// <summary>The hostname.</summary>
    public string? Hostname { get; init; }

    /// <summary>The node.</summary>
    public string? NodeName { get; init; }

    /// <summary>The zone.</summary>
    public string? Zone { get; init; }
}

/// <summary>EndpointSlice endpoint conditions; an unset <c>ready</c> counts as ready.</summary>
public sealed record EndpointConditions
{
    /// <summary>Ready to receive traffic.</summary>
    public bool? Ready { get; init; }

    /// <summary>Serving (may be terminating).</summary>
    public bool? Serving { get; init; }

    /// <summary>Terminating.</summary>
    public bool? Terminating { get; init; }
}
