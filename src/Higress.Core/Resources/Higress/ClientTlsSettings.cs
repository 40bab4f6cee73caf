namespace Higress.Core.Resources;

/// <summary>Upstream TLS (Istio <c>ClientTLSSettings</c>).</summary>
public sealed record ClientTlsSettings
{
    /// <summary>DISABLE | SIMPLE | MUTUAL | ISTIO_MUTUAL.</summary>
    public string Mode { get; init; } = "DISABLE";

    /// <summary>The SNI to send.</summary>
    public string? Sni { get; init; }

    /// <summary>A Secret holding the client certificate, key and CA (<c>name</c> or <c>namespace/name</c>).</summary>
    public string? CredentialName { get; init; }

    /// <summary>A CA file path to verify the upstream.</summary>
    public string? CaCertificates { get; init; }

    /// <summary>A client certificate file path (MUTUAL).</summary>
    public string? ClientCertificate { get; init; }

    /// <summary>A client key file path (MUTUAL).</summary>
    public string? PrivateKey { get; init; }

    /// <summary>Names accepted in the upstream's certificate.</summary>
    public EquatableArray<string> SubjectAltNames { get; init; }

    /// <summary>Skip verifying the upstream's certificate.</summary>
    public bool InsecureSkipVerify { get; init; }
}
