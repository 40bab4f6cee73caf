using Higress.Core.Resources;

namespace Higress.Core.Plan;

/// <summary>TLS termination settings of an HTTPS listener.</summary>
/// <param name="Certificates">The certificates to serve, chosen by SNI; the first one is the default.</param>
public sealed record ListenerTls(EquatableArray<TlsCertificate> Certificates)
{
    /// <summary>Mutual TLS (<c>tls.frontendValidation</c>); null when clients are not asked for a certificate.</summary>
    public ClientCertificateValidation? ClientValidation { get; init; }
}
