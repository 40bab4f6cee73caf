using Higress.Core.Resources;

namespace Higress.Core.Plan;

/// <summary>Mutual TLS on a listener: client certificates must chain to one of these CAs (and only these).</summary>
/// <param name="Sources">Where the CAs came from, e.g. <c>ConfigMap certs/client-ca</c>.</param>
/// <param name="CaBundlePem">The CA certificates, PEM, concatenated in the order of the references.</param>
/// <param name="Revocation">How revocation is checked.</param>
public sealed record ClientCertificateValidation(EquatableArray<string> Sources, string CaBundlePem, RevocationCheck Revocation);
