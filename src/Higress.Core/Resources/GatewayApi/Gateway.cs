using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>A Gateway API Gateway (v1; v1beta1 accepted).</summary>
public sealed record Gateway() : Resource(ResourceKinds.Gateway, ResourceKinds.GatewayApiV1)
{
    /// <summary>The class, listeners and addresses.</summary>
    public GatewaySpec Spec { get; init; } = new();
}

/// <summary>The spec of a Gateway API <see cref="Gateway"/>.</summary>
[IgnoredFields("infrastructure", "backendTLS")]
public sealed record GatewaySpec
{
    /// <summary>The GatewayClass name (required).</summary>
    [Required]
    public string GatewayClassName { get; init; } = string.Empty;

    /// <summary>The listeners.</summary>
    [Required]
    public EquatableArray<Listener> Listeners { get; init; }

    /// <summary>Requested addresses.</summary>
    public EquatableArray<GatewayAddress> Addresses { get; init; }
}

/// <summary>A Gateway API listener.</summary>
public sealed record Listener
{
    /// <summary>The listener's name, unique in the Gateway (required).</summary>
    [Required]
    public string Name { get; init; } = string.Empty;

    /// <summary>The hostname served (wildcard allowed); none = any.</summary>
    [Hostname]
    public string? Hostname { get; init; }

    /// <summary>The port.</summary>
    [Required]
    [Port]
    public int Port { get; init; }

    /// <summary>HTTP | HTTPS | TLS | TCP | UDP, or an implementation-specific protocol (then the listener reports UnsupportedProtocol).</summary>
    [Required]
    public string Protocol { get; init; } = string.Empty;

    /// <summary>TLS settings.</summary>
    public GatewayTls? Tls { get; init; }

    /// <summary>Which routes may attach; default: same namespace, kinds by protocol.</summary>
    public AllowedRoutes AllowedRoutes { get; init; } = new();
}

/// <summary>A requested Gateway address.</summary>
public sealed record GatewayAddress
{
    /// <summary>IPAddress (default) | Hostname | NamedAddress.</summary>
    public string Type { get; init; } = "IPAddress";

    /// <summary>The address.</summary>
    [Required]
    public string Value { get; init; } = string.Empty;
}
