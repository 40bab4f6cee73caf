using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;
using Higress.Core.Translation;

namespace Higress.Core.Tests.Translation;

public sealed class ListenerTlsTests
{
    private static string Indent(string pem) => string.Join('\n', pem.Trim().Split('\n').Select(l => "    " + l));

    private static string SecretYaml(string ns = "default")
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=secure.example.com", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return $$"""
            apiVersion: v1
            kind: Secret
            metadata: {name: cert, namespace: {{ns}}}
            type: kubernetes.io/tls
            stringData:
              tls.crt: |
            {{Indent(certificate.ExportCertificatePem())}}
              tls.key: |
            {{Indent(key.ExportPkcs8PrivateKeyPem())}}
            ---

            """;
    }

    private static string Gateway(string? certNamespace = null) => $$"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          gatewayClassName: higress
          listeners:
          - name: https
            port: 443
            protocol: HTTPS
            tls: {certificateRefs: [{name: cert{{(certNamespace is null ? string.Empty : ", namespace: " + certNamespace)}}}]}
        """;

    private static TranslationResult Translate(string yaml)
    {
        var parsed = ResourceParser.Parse(yaml, new ResourceOrigin("test", "tls.yaml", 0, 0));
        return Translator.Translate(new ResourceSnapshot(parsed.Resources, parsed.Diagnostics));
    }

    [Fact]
    public void Https_listener_serves_the_certificate_of_its_secret()
    {
        var result = Translate(SecretYaml() + Gateway());

        var listener = Assert.Single(result.Plan.Listeners);
        var certificate = Assert.Single(listener.Tls!.Certificates);
        Assert.Equal("default/cert", certificate.Secret);
        Assert.DoesNotContain("PRIVATE", certificate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_secret_keeps_the_listener_closed_with_an_error()
    {
        var result = Translate(Gateway());

        Assert.Empty(result.Plan.Listeners);
        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal("spec.listeners[0].tls.certificateRefs[0]", error.FieldPath);
        Assert.Contains(result.Statuses.Single().Parents.SelectMany(p => p.Conditions), c => c is { Type: "ResolvedRefs", Reason: "InvalidCertificateRef" });
    }

    [Fact]
    public void A_secret_in_another_namespace_needs_a_reference_grant()
    {
        const string Grant = """
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: ReferenceGrant
            metadata: {name: certs, namespace: certs}
            spec:
              from: [{group: gateway.networking.k8s.io, kind: Gateway, namespace: default}]
              to: [{group: "", kind: Secret}]
            ---

            """;

        Assert.Empty(Translate(SecretYaml("certs") + Gateway("certs")).Plan.Listeners);
        Assert.Single(Translate(SecretYaml("certs") + Grant + Gateway("certs")).Plan.Listeners);
    }
}
