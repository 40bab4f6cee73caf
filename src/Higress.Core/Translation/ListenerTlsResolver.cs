using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Higress.Core.Plan;
using Higress.Core.Resources;

namespace Higress.Core.Translation;

/// <summary>
/// Resolves an HTTPS listener's <c>tls.certificateRefs</c> to certificates: Secrets (type <c>kubernetes.io/tls</c>,
/// keys <c>tls.crt</c> and <c>tls.key</c>) in the Gateway's namespace, or in another one that a ReferenceGrant opens.
/// </summary>
internal static class ListenerTlsResolver
{
    public static ListenerTls? Resolve(TranslationContext context, ReferenceGrants grants, Resource gateway, GatewayTls? tls, string field, out string? problem)
    {
        problem = null;
        if (tls is null || tls.CertificateRefs.IsEmpty)
        {
            problem = "an HTTPS listener needs tls.certificateRefs naming a Secret with tls.crt and tls.key";
            context.Error(gateway, field + ".tls.certificateRefs", problem, "add a certificateRef to a kubernetes.io/tls Secret");
            return null;
        }

        if (tls.Mode == TlsMode.Passthrough)
        {
            problem = "TLS passthrough is not supported yet";
            context.Error(gateway, field + ".tls.mode", problem, "use mode Terminate");
            return null;
        }

        var certificates = new List<TlsCertificate>();
        for (var i = 0; i < tls.CertificateRefs.Count; i++)
        {
            var reference = tls.CertificateRefs[i];
            var refField = $"{field}.tls.certificateRefs[{i}]";
            var ns = reference.Namespace ?? gateway.Namespace;
            if (reference.Group.Length != 0 || reference.Kind != "Secret")
            {
                problem = $"{reference.Kind} is not a supported certificate reference";
                context.Error(gateway, refField, problem, "reference a core Secret");
                continue;
            }

            if (!grants.Permits(gateway, string.Empty, "Secret", ns, reference.Name))
            {
                problem = $"Secret {ns}/{reference.Name} is in another namespace and no ReferenceGrant there allows Gateways from {gateway.Namespace}";
                context.Error(gateway, refField, problem, "add a ReferenceGrant in " + ns);
                continue;
            }

            var secret = context.Snapshot.Get<Secret>(ns, reference.Name);
            var certificate = secret?.GetString("tls.crt");
            var key = secret?.GetString("tls.key");
            if (secret is null || certificate is null || key is null)
            {
                problem = secret is null ? $"Secret {ns}/{reference.Name} does not exist" : $"Secret {ns}/{reference.Name} has no tls.crt and tls.key";
                context.Error(gateway, refField, problem, "create a kubernetes.io/tls Secret with tls.crt and tls.key");
                continue;
            }

            try
            {
                using var parsed = X509Certificate2.CreateFromPem(certificate, key);
            }
            catch (CryptographicException ex)
            {
                problem = $"Secret {ns}/{reference.Name} does not hold a valid PEM certificate and key: {ex.Message}";
                context.Error(gateway, refField, problem, "store a PEM certificate chain in tls.crt and its PEM private key in tls.key");
                continue;
            }

            certificates.Add(new TlsCertificate($"{ns}/{reference.Name}", certificate, key));
        }

        if (certificates.Count == 0 || !FrontendValidationResolver.TryResolve(context, grants, gateway, tls.FrontendValidation, field + ".tls.frontendValidation", out var validation, ref problem))
        {
            return null;
        }

        return new ListenerTls(certificates.ToEquatableArray()) { ClientValidation = validation };
    }
}
