using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Higress.Core.Plan;
using Higress.Core.Resources;

namespace Higress.Core.Translation;

/// <summary>
/// Resolves a listener's <c>tls.frontendValidation.caCertificateRefs</c> (ConfigMaps or Secrets with a PEM bundle under
/// <c>ca.crt</c>) to the CA bundle that client certificates are validated against. A reference that cannot be used
/// keeps the listener closed: a listener that asks for mutual TLS never opens without it.
/// </summary>
internal static class FrontendValidationResolver
{
    /// <summary>The key holding the PEM CA bundle, as in the Gateway API.</summary>
    public const string CaKey = "ca.crt";

    public static bool TryResolve(
        TranslationContext context, ReferenceGrants grants, Resource gateway, FrontendTlsValidation? validation, string field,
        out ClientCertificateValidation? resolved, ref string? problem)
    {
        resolved = null;
        if (validation is null)
        {
            return true;
        }

        if (validation.CaCertificateRefs.IsEmpty)
        {
            problem = "tls.frontendValidation has no caCertificateRefs";
            context.Error(gateway, field + ".caCertificateRefs", problem, "name a ConfigMap or Secret holding the client CA bundle under ca.crt");
            return false;
        }

        var sources = new List<string>();
        var bundle = new StringBuilder();
        for (var i = 0; i < validation.CaCertificateRefs.Count; i++)
        {
            var reference = validation.CaCertificateRefs[i];
            var refField = $"{field}.caCertificateRefs[{i}]";
            if (Read(context, grants, gateway, reference, out var source) is not { } pem)
            {
                problem = source;
                context.Error(gateway, refField, problem, $"reference a ConfigMap or Secret in the Gateway's namespace (or one a ReferenceGrant opens) with a PEM CA bundle under {CaKey}");
                return false;
            }

            sources.Add(source);
            bundle.Append(pem).Append('\n');
        }

        resolved = new ClientCertificateValidation(sources.ToEquatableArray(), bundle.ToString(), validation.Revocation);
        return true;
    }

    /// <summary>The PEM bundle, or null with the problem in <paramref name="source"/>.</summary>
    private static string? Read(TranslationContext context, ReferenceGrants grants, Resource gateway, SecretObjectReference reference, out string source)
    {
        var ns = reference.Namespace ?? gateway.Namespace;
        source = $"{reference.Kind} {ns}/{reference.Name}";
        if (reference.Group.Length != 0 || reference.Kind is not ("ConfigMap" or "Secret"))
        {
            source = $"{reference.Group}/{reference.Kind} is not a supported CA reference (ConfigMap or Secret)";
            return null;
        }

        if (!grants.Permits(gateway, string.Empty, reference.Kind, ns, reference.Name))
        {
            source = $"{source} is in another namespace and no ReferenceGrant there allows Gateways from {gateway.Namespace}";
            return null;
        }

        var pem = reference.Kind == "ConfigMap"
            ? context.Snapshot.Get<ConfigMap>(ns, reference.Name)?.GetString(CaKey)
            : context.Snapshot.Get<Secret>(ns, reference.Name)?.GetString(CaKey);
        if (pem is null)
        {
            source = $"{source} does not exist or has no {CaKey}";
            return null;
        }

        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(pem);
        }
        catch (CryptographicException ex)
        {
            source = $"{source}: {CaKey} is not a valid PEM certificate bundle: {ex.Message}";
            return null;
        }
        finally
        {
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }
        }

        if (certificates.Count == 0)
        {
            source = $"{source}: {CaKey} holds no PEM certificate";
            return null;
        }

        return pem;
    }
}
