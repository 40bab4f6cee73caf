using System.Net.Quic;

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
        : IsSupported ? "off (Higress:Http3 is false)"
        : "unsupported: " + UnsupportedReason;
}
