using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>A listener of a native Gateway: a port with a protocol, optional hostnames and TLS, and inline routes.</summary>
public sealed record HigressListener
{
    private readonly string? _name;

    /// <summary>The listener's name; defaults to <c>&lt;protocol lower&gt;-&lt;port&gt;</c>, e.g. <c>http-80</c>.</summary>
    public string Name
    {
        get => _name ?? $"{Protocol.ToString().ToLowerInvariant()}-{Port}";
        init => _name = value;
    }

    /// <summary>HTTP | HTTPS | HTTP2 (h2c) | GRPC | TLS | TCP | UDP.</summary>
    [Required]
    public HigressListenerProtocol Protocol { get; init; }

    /// <summary>The port, 1..65535.</summary>
    [Required]
    [Port]
    public int Port { get; init; }

    /// <summary>Hostnames served (wildcards like <c>*.example.com</c> allowed); none = any host.</summary>
    [Hostname]
    public EquatableArray<string> Hostnames { get; init; }

    /// <summary>TLS settings (HTTPS and TLS listeners).</summary>
    public GatewayTls? Tls { get; init; }

    /// <summary>Which namespaces may attach Routes; default: the Gateway's own namespace.</summary>
    public AllowedRoutes AllowedRoutes { get; init; } = new();

    /// <summary>Inline rules, in the Route <c>http[]</c> shape.</summary>
    public EquatableArray<RouteRule> Routes { get; init; }
}

/// <summary>A native listener's protocol.</summary>
public enum HigressListenerProtocol
{
    /// <summary>HTTP/1.1 (and h2c upgrade).</summary>
    HTTP,

    /// <summary>HTTP over TLS (HTTP/1.1 and HTTP/2 by ALPN).</summary>
    HTTPS,

    /// <summary>Cleartext HTTP/2 (h2c prior knowledge).</summary>
    HTTP2,

    /// <summary>gRPC (HTTP/2).</summary>
    GRPC,

    /// <summary>TLS (terminated or passed through).</summary>
    TLS,

    /// <summary>Raw TCP.</summary>
    TCP,

    /// <summary>UDP.</summary>
    UDP,
}
