using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>The spec of a <see cref="ServiceEntry"/>.</summary>
public sealed record ServiceEntrySpec
{
    /// <summary>The hosts that name this service in route destinations (required).</summary>
    [Required]
    public EquatableArray<string> Hosts { get; init; }

    /// <summary>Virtual IPs of the service (informational).</summary>
    public EquatableArray<string> Addresses { get; init; }

    /// <summary>The service's ports.</summary>
    public EquatableArray<ServiceEntryPort> Ports { get; init; }

    /// <summary>MESH_EXTERNAL (default) | MESH_INTERNAL.</summary>
    public ServiceEntryLocation Location { get; init; } = ServiceEntryLocation.MeshExternal;

    /// <summary>NONE | STATIC (default: the listed endpoints) | DNS | DNS_ROUND_ROBIN.</summary>
    public ServiceEntryResolution Resolution { get; init; } = ServiceEntryResolution.Static;

    /// <summary>The endpoints (for STATIC; for DNS, hostnames to resolve; none with DNS = the hosts themselves).</summary>
    public EquatableArray<WorkloadEntry> Endpoints { get; init; }

    /// <summary>Named subsets of the endpoints, chosen by label.</summary>
    public EquatableArray<Subset> Subsets { get; init; }

    /// <summary>The traffic policy for the service (Istio DestinationRule <c>trafficPolicy</c>).</summary>
    public TrafficPolicy? TrafficPolicy { get; init; }

    /// <summary>Namespaces this entry is visible to (Istio <c>exportTo</c>); empty = all.</summary>
    public EquatableArray<string> ExportTo { get; init; }
}

/// <summary>A ServiceEntry port.</summary>
public sealed record ServiceEntryPort
{
    /// <summary>The port number clients use.</summary>
    [Required]
    [Port]
    public int Number { get; init; }

    /// <summary>HTTP | HTTPS | HTTP2 | GRPC | TLS | TCP | ...; default HTTP.</summary>
    public string Protocol { get; init; } = "HTTP";

    /// <summary>The port name.</summary>
    public string? Name { get; init; }

    /// <summary>The port on the endpoints, when it differs from <see cref="Number"/>.</summary>
    [Port]
    public int? TargetPort { get; init; }
}

/// <summary>Whether a ServiceEntry is part of the mesh.</summary>
public enum ServiceEntryLocation
{
    /// <summary>Outside the mesh.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("MESH_EXTERNAL")]
    MeshExternal,

    /// <summary>Inside the mesh.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("MESH_INTERNAL")]
    MeshInternal,
}

/// <summary>How a ServiceEntry's endpoints are found.</summary>
public enum ServiceEntryResolution
{
    /// <summary>Forward to the address the client asked for.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("NONE")]
    None,

    /// <summary>The listed endpoint addresses.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("STATIC")]
    Static,

    /// <summary>Resolve hostnames by DNS; use all addresses.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("DNS")]
    Dns,

    /// <summary>Resolve hostnames by DNS; use one address at a time.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("DNS_ROUND_ROBIN")]
    DnsRoundRobin,
}
