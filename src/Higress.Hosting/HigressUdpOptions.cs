namespace Higress.Hosting;

/// <summary>
/// UDP listeners (the <c>Higress:Udp</c> section, docs/udp.md): how long a client session lives and what one listener
/// and one client may use. A session is one client address and port with its own upstream socket.
/// </summary>
public sealed class HigressUdpOptions
{
    /// <summary>How long a session lives without a datagram in either direction (default 60 s); then its upstream socket closes.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The most sessions one UDP listener holds at once (default 10,000); datagrams from further clients are dropped.</summary>
    public int MaxSessions { get; set; } = 10_000;

    /// <summary>Datagrams per second one client may send (a token bucket per session; default 0: unlimited); the excess is dropped.</summary>
    public double DatagramsPerSecond { get; set; }

    /// <summary>The bucket's size: how many datagrams a client may send at once (default: one second's worth, at least 1).</summary>
    public int? DatagramBurst { get; set; }
}
