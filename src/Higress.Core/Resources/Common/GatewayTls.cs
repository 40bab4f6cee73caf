namespace Higress.Core.Resources;

/// <summary>Listener TLS settings, shared by native and Gateway API listeners.</summary>
public sealed record GatewayTls
{
    /// <summary>Terminate (default) | Passthrough.</summary>
    public TlsMode Mode { get; init; } = TlsMode.Terminate;

    /// <summary>The Secrets (type kubernetes.io/tls) holding the certificate and key.</summary>
    public EquatableArray<SecretObjectReference> CertificateRefs { get; init; }

    /// <summary>Mutual TLS: the CA bundles client certificates are validated against; null accepts clients without one.</summary>
    public FrontendTlsValidation? FrontendValidation { get; init; }

    /// <summary>Implementation-specific TLS options (Gateway API <c>options</c>).</summary>
    public EquatableMap<string> Options { get; init; }
}

/// <summary>What a listener does with TLS.</summary>
public enum TlsMode
{
    /// <summary>The gateway terminates TLS.</summary>
    Terminate,

    /// <summary>The gateway forwards the TLS stream untouched (routed by SNI).</summary>
    Passthrough,
}
