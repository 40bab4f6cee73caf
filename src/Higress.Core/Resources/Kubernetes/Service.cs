using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>A Kubernetes Service: ports, and where its endpoints come from.</summary>
public sealed record Service() : Resource(ResourceKinds.Service, ResourceKinds.CoreV1)
{
    /// <summary>The ports, selector and type.</summary>
    public ServiceSpec Spec { get; init; } = new();
}

/// <summary>The spec of a <see cref="Service"/>.</summary>
[IgnoredFields("clusterIPs", "sessionAffinity", "sessionAffinityConfig", "ipFamilies", "ipFamilyPolicy", "internalTrafficPolicy", "externalTrafficPolicy", "publishNotReadyAddresses", "loadBalancerIP", "loadBalancerSourceRanges", "healthCheckNodePort", "allocateLoadBalancerNodePorts", "externalIPs", "loadBalancerClass", "trafficDistribution")]
public sealed record ServiceSpec
{
    /// <summary>The ports.</summary>
    public EquatableArray<ServicePort> Ports { get; init; }

    /// <summary>Pod labels selecting the endpoints (informational offline: endpoints come from EndpointSlices/Endpoints).</summary>
    public EquatableMap<string> Selector { get; init; }

    /// <summary>The cluster IP, or <c>None</c> for a headless service.</summary>
    public string? ClusterIP { get; init; }

    /// <summary>ClusterIP (default) | NodePort | LoadBalancer | ExternalName.</summary>
    public ServiceType Type { get; init; } = ServiceType.ClusterIP;

    /// <summary>The DNS name an ExternalName service points at.</summary>
    public string? ExternalName { get; init; }
}

/// <summary>A Service port.</summary>
public sealed record ServicePort
{
    /// <summary>The port name (required when there are several).</summary>
    public string? Name { get; init; }

    /// <summary>The port clients use.</summary>
    [Required]
    [Port]
    public int Port { get; init; }

    /// <summary>The endpoint port: a number or a named container port; default <see cref="Port"/>.</summary>
    public IntOrString? TargetPort { get; init; }

    /// <summary>TCP (default) | UDP | SCTP.</summary>
    public string Protocol { get; init; } = "TCP";

    /// <summary>The application protocol, e.g. <c>http</c>, <c>kubernetes.io/h2c</c>, <c>https</c>.</summary>
    public string? AppProtocol { get; init; }

    /// <summary>The node port (informational).</summary>
    public int? NodePort { get; init; }
}

/// <summary>A Service type.</summary>
public enum ServiceType
{
    /// <summary>A cluster-internal virtual IP.</summary>
    ClusterIP,

    /// <summary>A port on every node.</summary>
    NodePort,

    /// <summary>An external load balancer.</summary>
    LoadBalancer,

    /// <summary>A DNS alias for <c>externalName</c>.</summary>
    ExternalName,
}
