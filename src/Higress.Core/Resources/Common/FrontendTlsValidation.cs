namespace Higress.Core.Resources;

/// <summary>
/// A listener's client certificate validation (Gateway API <c>tls.frontendValidation</c>): with it, every client must
/// present a certificate that chains to one of these CAs, or the TLS handshake is refused.
/// </summary>
public sealed record FrontendTlsValidation
{
    /// <summary>ConfigMaps or Secrets holding a PEM CA bundle under <c>ca.crt</c>; only these CAs are trusted.</summary>
    public EquatableArray<SecretObjectReference> CaCertificateRefs { get; init; }

    /// <summary>Whether client certificates are checked for revocation; default <c>NoCheck</c>.</summary>
    public RevocationCheck Revocation { get; init; } = RevocationCheck.NoCheck;
}

/// <summary>How a client certificate's revocation is checked.</summary>
public enum RevocationCheck
{
    /// <summary>Not checked (the default).</summary>
    NoCheck,

    /// <summary>Checked against the CRLs and OCSP responders the certificates name (network access at the handshake).</summary>
    Online,

    /// <summary>Checked against cached CRLs only.</summary>
    Offline,
}
