using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

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
