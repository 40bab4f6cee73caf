using Higress.Core.Resources;

namespace Higress.Core.Plan;

/// <summary>
/// How the gateway originates TLS toward a cluster's endpoints: the name it sends (SNI) and verifies, the roots it
/// trusts, and the client certificate it presents. Material from Secrets and ConfigMaps is carried inline, so a
/// changed Secret changes the plan; material from files is named by path and read when a connection is made.
/// </summary>
public sealed record UpstreamTlsPlan
{
    /// <summary>Where the settings come from, for logs and errors, e.g. <c>ServiceEntry shop/pay spec.trafficPolicy.tls</c>.</summary>
    public string Source { get; init; } = string.Empty;

    /// <summary>
    /// The name sent as SNI and, unless <see cref="SubjectAltNames"/> are given, required in the upstream's
    /// certificate: the configured <c>sni</c> (or BackendTLSPolicy <c>hostname</c>), else the destination's host;
    /// never an endpoint's address or the client's Host header.
    /// </summary>
    public string ServerName { get; init; } = string.Empty;

    /// <summary>When not empty, the certificate must carry one of these (DNS or URI) names instead of <see cref="ServerName"/>.</summary>
    public EquatableArray<string> SubjectAltNames { get; init; }

    /// <summary>Accept any certificate (ServiceEntry <c>tls.insecureSkipVerify</c>).</summary>
    public bool InsecureSkipVerify { get; init; }

    /// <summary>A PEM CA bundle from a Secret or ConfigMap; with <see cref="CaFile"/>, the only roots trusted.</summary>
    public string? CaPem { get; init; }

    /// <summary>A PEM CA bundle file (<c>caCertificates</c>), read when a connection is made.</summary>
    public string? CaFile { get; init; }

    /// <summary>The client certificate to present (MUTUAL), from a Secret.</summary>
    public TlsCertificate? ClientCertificate { get; init; }

    /// <summary>The client certificate file (MUTUAL <c>clientCertificate</c>), read when a connection is made.</summary>
    public string? ClientCertificateFile { get; init; }

    /// <summary>The client key file (MUTUAL <c>privateKey</c>), read when a connection is made.</summary>
    public string? PrivateKeyFile { get; init; }

    /// <summary>True when roots are given (<see cref="CaPem"/> or <see cref="CaFile"/>); else the system's roots are trusted.</summary>
    public bool HasCustomRoots => CaPem is not null || CaFile is not null;
}
