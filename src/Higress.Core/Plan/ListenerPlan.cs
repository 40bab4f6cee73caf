using Higress.Core.Resources;

namespace Higress.Core.Plan;

/// <summary>One listener: a port on the bind address and the hostnames it serves.</summary>
/// <param name="Id">Unique id: <c>gateway-kind/namespace/gateway/listener</c>.</param>
/// <param name="Gateway">The gateway object that declares the listener.</param>
/// <param name="Name">The listener's name within its gateway.</param>
/// <param name="Port">The TCP port.</param>
/// <param name="Protocol">The protocol.</param>
/// <param name="Hostnames">The hostnames accepted (wildcards <c>*.x</c> allowed); empty means any host.</param>
public sealed record ListenerPlan(
    string Id,
    ResourceKey Gateway,
    string Name,
    int Port,
    ListenerProtocol Protocol,
    EquatableArray<string> Hostnames)
{
    /// <summary>The address to bind, from the Gateway's <c>spec.addresses</c>; null for the configured bind address.</summary>
    public string? Address { get; init; }

    /// <summary>TLS termination for HTTPS listeners; null for cleartext.</summary>
    public ListenerTls? Tls { get; init; }

    /// <summary>True for protocols served by the HTTP pipeline.</summary>
    public bool IsHttp => Protocol is ListenerProtocol.Http or ListenerProtocol.Https or ListenerProtocol.Http2 or ListenerProtocol.Grpc;

    /// <summary>True for byte-stream listeners served at the connection level: TCP, and TLS in mode Passthrough.</summary>
    public bool IsStream => Protocol is ListenerProtocol.Tcp or ListenerProtocol.Tls;
}
