namespace Higress.Hosting;

/// <summary>TCP and TLS-passthrough listeners (the <c>Higress:Streams</c> section; docs/tcp-tls.md).</summary>
public sealed class HigressStreamOptions
{
    /// <summary>
    /// How long connecting to a backend may take (default 10 s); a cluster's
    /// <c>trafficPolicy.connectionPool.tcp.connectTimeout</c> overrides it.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A connection on which neither side sent a byte for this long is closed (default 1 h, Envoy's TCP proxy default);
    /// a cluster's <c>trafficPolicy.connectionPool.tcp.idleTimeout</c> overrides it.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a TLS-passthrough connection may take to send its ClientHello (default 10 s).</summary>
    public TimeSpan ClientHelloTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The most connections one TCP or TLS listener forwards at once (default 10,000); more are closed on arrival.</summary>
    public int MaxConnectionsPerListener { get; set; } = 10_000;
}
