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

/// <summary>A requested Gateway address.</summary>
public sealed record GatewayAddress
{
    /// <summary>IPAddress (default) | Hostname | NamedAddress.</summary>
    public string Type { get; init; } = "IPAddress";

    /// <summary>The address.</summary>
    [Required]
    public string Value { get; init; } = string.Empty;
}
