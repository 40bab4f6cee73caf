namespace Higress.Core.Plan;

/// <summary>The protocol used toward the upstream.</summary>
public enum UpstreamProtocol
{
    /// <summary>HTTP/1.1.</summary>
    Http1,
    /// <summary>Cleartext HTTP/2 with prior knowledge (gRPC, h2c).</summary>
    Http2,
    /// <summary>HTTP/1.1 over TLS that the gateway originates (ALPN <c>http/1.1</c>).</summary>
    Https,
    /// <summary>HTTP/2 over TLS that the gateway originates (ALPN <c>h2</c>): gRPC over TLS (<c>GRPCS</c>).</summary>
    Http2Tls,
}
