namespace Higress.Core.Translation;

/// <summary>
/// Sidecar mode (docs/sidecar.md): an inbound port in front of one local app, and an outbound port through which the
/// app reaches other services by name. Each port is off while unset.
/// </summary>
public sealed record SidecarSettings
{
    /// <summary>The inbound port: every request on it runs the matching Routes' policies, then goes to <see cref="InboundApp"/>.</summary>
    public int? InboundPort { get; init; }

    /// <summary>The local app's base address, e.g. <c>http://127.0.0.1:8080</c>; required with <see cref="InboundPort"/>.</summary>
    public string? InboundApp { get; init; }

    /// <summary>The outbound port (loopback only): an HTTP proxy and origin-form entry point to Services and ServiceEntry hosts.</summary>
    public int? OutboundPort { get; init; }

    /// <summary>The namespace that short Service names (<c>svc</c>) resolve in on the outbound port (default <c>default</c>).</summary>
    public string Namespace { get; init; } = "default";

    /// <summary>True when either port is set.</summary>
    public bool Enabled => InboundPort is not null || OutboundPort is not null;
}
