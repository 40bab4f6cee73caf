using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>Kubernetes Endpoints (the older form of EndpointSlice), named like its Service.</summary>
public sealed record Endpoints() : Resource(ResourceKinds.Endpoints, ResourceKinds.CoreV1)
{
    /// <summary>Groups of addresses sharing ports.</summary>
    public EquatableArray<EndpointSubset> Subsets { get; init; }
}

/// <summary>Addresses that share ports.</summary>
public sealed record EndpointSubset
{
    /// <summary>Ready addresses.</summary>
    public EquatableArray<EndpointAddress> Addresses { get; init; }

    /// <summary>Addresses not ready.</summary>
    public EquatableArray<EndpointAddress> NotReadyAddresses { get; init; }

    /// <summary>The ports.</summary>
    public EquatableArray<EndpointPort> Ports { get; init; }
}

/// <summary>An endpoint address.</summary>
[IgnoredFields("targetRef")]
public sealed record EndpointAddress
{
    /// <summary>The IP.</summary>
    [Required]
    public string Ip { get; init; } = string.Empty;

    /// <summary>The hostname.</summary>
    public string? Hostname { get; init; }

    /// <summary>The node hosting the endpoint.</summary>
    public string? NodeName { get; init; }
}

/// <summary>An endpoint port (also used by EndpointSlice).</summary>
public sealed record EndpointPort
{
    /// <summary>The name, matching the Service port's name.</summary>
    public string? Name { get; init; }

    /// <summary>The port.</summary>
    [Port]
    public int? Port { get; init; }

    /// <summary>TCP (default) | UDP | SCTP.</summary>
    public string Protocol { get; init; } = "TCP";

    /// <summary>The application protocol.</summary>
    public string? AppProtocol { get; init; }
}
