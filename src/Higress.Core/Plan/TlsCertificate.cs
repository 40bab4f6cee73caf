using System.Text.Json.Serialization;

namespace Higress.Core.Plan;

/// <summary>A certificate and its private key, read from a Secret of type <c>kubernetes.io/tls</c>.</summary>
/// <param name="Secret">The Secret it came from, e.g. <c>certs/example-cert</c>.</param>
/// <param name="CertificatePem">The certificate chain (<c>tls.crt</c>), PEM.</param>
/// <param name="PrivateKeyPem">The private key (<c>tls.key</c>), PEM. Never serialized or printed.</param>
public sealed record TlsCertificate(string Secret, string CertificatePem, [property: JsonIgnore] string PrivateKeyPem)
{
    /// <summary>Names the Secret only; the key is never printed.</summary>
    public override string ToString() => $"TlsCertificate {{ Secret = {Secret} }}";
}
