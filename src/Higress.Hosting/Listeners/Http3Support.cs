using System.Net.Quic;
using Higress.Core.Plan;

namespace Higress.Hosting.Listeners;

/// <summary>
/// Whether HTTPS listeners can serve HTTP/3 here: only where the QUIC library (libmsquic on Linux) loads. Where it
/// does not, the listeners serve HTTP/1.1 and HTTP/2 only, say so in <c>/config_dump</c> and the log, and send no
/// <c>alt-svc</c> (Kestrel advertises HTTP/3 only on endpoints that bound it).
/// </summary>
internal static class Http3Support
{
    /// <summary>Why HTTP/3 is not available on this machine.</summary>
    public const string UnsupportedReason = "QUIC is not supported on this machine (QuicListener.IsSupported is false: libmsquic is not installed or cannot load); install libmsquic to serve HTTP/3";

    /// <summary>True when QUIC listeners can be opened.</summary>
    public static bool IsSupported { get; } = (OperatingSystem.IsLinux() || OperatingSystem.IsWindows() || OperatingSystem.IsMacOS()) && QuicListener.IsSupported;

    /// <summary>Kestrel's <c>Protocols</c> for an HTTPS endpoint.</summary>
    public static string HttpsProtocols(bool enabled) => enabled && IsSupported ? "Http1AndHttp2AndHttp3" : "Http1AndHttp2";

    /// <summary>The HTTP/3 state of an endpoint for <c>/config_dump</c>: <c>open</c>, <c>off</c> or <c>unsupported: …</c>; null for cleartext.</summary>
    public static string? Describe(ListenerEndpointStatus status) => status.Endpoint.Scheme != "https" ? null
        : status.Endpoint.Protocols?.Contains("Http3", StringComparison.Ordinal) == true ? (status.State == ListenerEndpointState.Open ? "open" : "opening")
        : !IsSupported ? "unsupported: " + UnsupportedReason
        : RequiresClientCertificates(status.Endpoint.Listeners) ? "off: mutual TLS listeners serve HTTP/1.1 and HTTP/2 only"
        : "off (Higress:Http3 is false)";

    /// <summary>
    /// True when a listener asks for client certificates: such endpoints get no HTTP/3, because a QUIC server is not
    /// told when a client sends no certificate (dotnet/runtime#57308) and so could not refuse it at the handshake.
    /// </summary>
    public static bool RequiresClientCertificates(IEnumerable<ListenerPlan> listeners) => listeners.Any(l => l.Tls?.ClientValidation is not null);
}
