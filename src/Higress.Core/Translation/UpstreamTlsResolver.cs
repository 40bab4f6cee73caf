using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Higress.Core.Plan;
using Higress.Core.Resources;

namespace Higress.Core.Translation;

/// <summary>
/// Turns the upstream TLS settings of a ServiceEntry (Istio <c>ClientTLSSettings</c>) or a BackendTLSPolicy into an
/// <see cref="UpstreamTlsPlan"/>, reading the Secrets and ConfigMaps they name from the snapshot. Files are named, not
/// read: the runtime reads them when it connects. Each method returns the plan or an error that names the field and
/// the fix; with an error, requests to the cluster are refused rather than sent without the TLS asked for.
/// </summary>
internal static class UpstreamTlsResolver
{
    /// <summary>The modes a ServiceEntry's <c>tls.mode</c> may take.</summary>
    public const string Modes = "DISABLE, SIMPLE, MUTUAL";

    // Secret keys: Kubernetes TLS Secrets first, then Istio's generic Secret keys.
    private static readonly string[] CertificateKeys = ["tls.crt", "cert"];
    private static readonly string[] KeyKeys = ["tls.key", "key"];
    private static readonly string[] CaKeys = ["ca.crt", "cacert"];

    /// <summary>True when <paramref name="tls"/> asks the gateway to originate TLS (SIMPLE or MUTUAL).</summary>
    public static bool Originates(ClientTlsSettings? tls) =>
        tls?.Mode.ToUpperInvariant() is "SIMPLE" or "MUTUAL";

    /// <summary>
    /// The plan for a ServiceEntry's <paramref name="tls"/> toward <paramref name="host"/>; null with no error for
    /// DISABLE (or no settings).
    /// </summary>
    public static (UpstreamTlsPlan? Plan, string? Error) FromServiceEntry(ResourceSnapshot snapshot, ServiceEntry entry, ClientTlsSettings? tls, string field, string host)
    {
        var mode = tls?.Mode.ToUpperInvariant();
        if (tls is null || mode == "DISABLE")
        {
            return (null, null);
        }

        if (mode is not ("SIMPLE" or "MUTUAL"))
        {
            return (null, mode == "ISTIO_MUTUAL"
                ? $"{field}.mode ISTIO_MUTUAL needs Istio's workload certificates, which this gateway does not have; requests are refused; use MUTUAL with a client certificate, or SIMPLE"
                : $"{field}.mode '{tls.Mode}' is not one of {Modes}; requests are refused; fix the mode");
        }

        var plan = new UpstreamTlsPlan
        {
            Source = $"{entry.Display} {field}",
            ServerName = string.IsNullOrEmpty(tls.Sni) ? host : tls.Sni,
            SubjectAltNames = tls.SubjectAltNames,
            InsecureSkipVerify = tls.InsecureSkipVerify,
            CaFile = NullIfEmpty(tls.CaCertificates),
        };

        if (tls.CredentialName is { Length: > 0 } credential)
        {
            var (fromSecret, error) = FromCredential(snapshot, entry, credential, mode == "MUTUAL", field);
            if (error is not null)
            {
                return (null, error);
            }

            plan = plan with
            {
                CaPem = plan.CaFile is null ? fromSecret!.CaPem : null,
                ClientCertificate = fromSecret!.ClientCertificate,
            };
        }

        if (mode != "MUTUAL")
        {
            return (plan with { ClientCertificate = null }, null);
        }

        if (plan.ClientCertificate is not null)
        {
            return (plan, null);
        }

        if (NullIfEmpty(tls.ClientCertificate) is not { } certificateFile || NullIfEmpty(tls.PrivateKey) is not { } keyFile)
        {
            return (null, $"{field}: MUTUAL needs a client certificate; set clientCertificate and privateKey (files), or credentialName (a Secret with tls.crt and tls.key)");
        }

        return (plan with { ClientCertificateFile = certificateFile, PrivateKeyFile = keyFile }, null);
    }

    /// <summary>The plan of a BackendTLSPolicy toward its targets.</summary>
    public static (UpstreamTlsPlan? Plan, string? Error) FromPolicy(ResourceSnapshot snapshot, BackendTlsPolicy policy)
    {
        var validation = policy.Spec.Validation;
        var field = "spec.validation";
        var sans = validation.SubjectAltNames
            .Select(s => s.Type.Equals("URI", StringComparison.OrdinalIgnoreCase) ? s.Uri : s.Hostname)
            .Where(s => !string.IsNullOrEmpty(s))
            .Select(s => s!)
            .ToEquatableArray();
        var plan = new UpstreamTlsPlan { Source = $"{policy.Display} {field}", ServerName = validation.Hostname, SubjectAltNames = sans };
        var system = validation.WellKnownCaCertificates;
        if (system is not null && !system.Equals("System", StringComparison.Ordinal))
        {
            return (null, $"{field}.wellKnownCACertificates '{system}' is not supported; use System");
        }

        if (system is not null == !validation.CaCertificateRefs.IsEmpty)
        {
            return (null, $"{field}: set exactly one of caCertificateRefs and wellKnownCACertificates");
        }

        var bundle = new List<string>();
        for (var i = 0; i < validation.CaCertificateRefs.Count; i++)
        {
            var reference = validation.CaCertificateRefs[i];
            var refField = $"{field}.caCertificateRefs[{i}]";
            var pem = (reference.Group, reference.Kind) switch
            {
                ("", "ConfigMap") => snapshot.Get<ConfigMap>(policy.Namespace, reference.Name)?.GetString("ca.crt"),
                ("", "Secret") => snapshot.Get<Secret>(policy.Namespace, reference.Name)?.GetString("ca.crt"),
                _ => null,
            };
            if (reference.Group.Length != 0 || reference.Kind is not ("ConfigMap" or "Secret"))
            {
                return (null, $"{refField}: kind {reference.Kind} is not supported; reference a ConfigMap or Secret holding ca.crt");
            }

            if (pem is null)
            {
                return (null, $"{refField}: {reference.Kind} {policy.Namespace}/{reference.Name} does not exist or has no ca.crt; create it with the PEM CA bundle under ca.crt");
            }

            if (InvalidCa(pem) is { } problem)
            {
                return (null, $"{refField}: {reference.Kind} {policy.Namespace}/{reference.Name} ca.crt {problem}");
            }

            bundle.Add(pem);
        }

        return (bundle.Count == 0 ? plan : plan with { CaPem = string.Join('\n', bundle) }, null);
    }

    /// <summary>The plan for a port whose protocol alone asks for TLS: verified against the system's roots and <paramref name="serverName"/>.</summary>
    public static UpstreamTlsPlan Default(string source, string serverName) => new() { Source = source, ServerName = serverName };

    private static (UpstreamTlsPlan? Plan, string? Error) FromCredential(ResourceSnapshot snapshot, ServiceEntry entry, string credential, bool mutual, string field)
    {
        var slash = credential.IndexOf('/', StringComparison.Ordinal);
        var (ns, name) = slash < 0 ? (entry.Namespace, credential) : (credential[..slash], credential[(slash + 1)..]);
        if (ns != entry.Namespace)
        {
            return (null, $"{field}.credentialName '{credential}': a ServiceEntry reads Secrets of its own namespace ({entry.Namespace}) only; move the Secret there");
        }

        if (snapshot.Get<Secret>(ns, name) is not { } secret)
        {
            return (null, $"{field}.credentialName: Secret {ns}/{name} does not exist; create it (tls.crt, tls.key, ca.crt) or fix the name");
        }

        // Istio also reads the CA from a separate Secret named <name>-cacert.
        var ca = First(secret, CaKeys) ?? (snapshot.Get<Secret>(ns, name + "-cacert") is { } caSecret ? First(caSecret, CaKeys) : null);
        if (ca is not null && InvalidCa(ca) is { } caProblem)
        {
            return (null, $"{field}.credentialName: Secret {ns}/{name} ca.crt {caProblem}");
        }

        TlsCertificate? client = null;
        if (mutual)
        {
            var certificate = First(secret, CertificateKeys);
            var key = First(secret, KeyKeys);
            if (certificate is null || key is null)
            {
                return (null, $"{field}.credentialName: Secret {ns}/{name} has no client certificate; add tls.crt and tls.key (or cert and key)");
            }

            try
            {
                using var parsed = X509Certificate2.CreateFromPem(certificate, key);
            }
            catch (CryptographicException ex)
            {
                return (null, $"{field}.credentialName: Secret {ns}/{name} does not hold a valid PEM certificate and key ({ex.Message}); store the PEM chain in tls.crt and its key in tls.key");
            }

            client = new TlsCertificate($"{ns}/{name}", certificate, key);
        }

        return (new UpstreamTlsPlan { CaPem = ca, ClientCertificate = client }, null);
    }

    private static string? First(Secret secret, string[] keys) => keys.Select(secret.GetString).FirstOrDefault(v => v is not null);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string? InvalidCa(string pem)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(pem);
            return certificates.Count == 0 ? "holds no PEM certificate; store the CA bundle as PEM" : null;
        }
        catch (CryptographicException ex)
        {
            return $"is not a valid PEM bundle ({ex.Message}); store the CA bundle as PEM";
        }
        finally
        {
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }
        }
    }
}
