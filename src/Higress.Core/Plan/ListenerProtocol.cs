namespace Higress.Core.Plan;

/// <summary>The wire protocol a listener speaks.</summary>
public enum ListenerProtocol
{
    /// <summary>HTTP/1.1 (and h2c upgrade where the client asks).</summary>
    Http,
    /// <summary>HTTP over TLS.</summary>
    Https,
    /// <summary>Cleartext HTTP/2 (h2c) with prior knowledge.</summary>
    Http2,
    /// <summary>gRPC over cleartext HTTP/2.</summary>
    Grpc,
    /// <summary>TLS passthrough or termination of opaque TCP.</summary>
    Tls,
    /// <summary>Opaque TCP.</summary>
    Tcp,
    /// <summary>UDP datagrams.</summary>
    Udp,
}
