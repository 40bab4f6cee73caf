namespace Higress.Core.Plan;

/// <summary>The protocol used toward the upstream.</summary>
public enum UpstreamProtocol
{
    /// <summary>HTTP/1.1.</summary>
    Http1,
    /// <summary>Cleartext HTTP/2 with prior knowledge (gRPC, h2c).</summary>
    Http2,
    /// <summary>HTTPS, version negotiated.</summary>
    Https,
}
