using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;
using Higress.Core.Translation;

namespace Higress.Core.Tests.Translation;

public sealed class FrontendValidationResolverTests
{
    private static readonly string ServerSecret = MakeServerSecret();
    private static readonly string CaPem = MakeCaPem();

    private static string Indent(string pem) => string.Join('\n', pem.Trim().Split('\n').Select(l => "    " + l));

    private static string MakeServerSecret()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=secure.example.com", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return $$"""
            apiVersion: v1
            kind: Secret
            metadata: {name: cert}
            type: kubernetes.io/tls
            stringData:
              tls.crt: |
            {{Indent(certificate.ExportCertificatePem())}}
              tls.key: |
            {{Indent(key.ExportPkcs8PrivateKeyPem())}}
            ---

            """;
    }

    private static string MakeCaPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=client-ca", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return certificate.ExportCertificatePem();
    }

    private static string CaObject(string kind, string name, string key = "ca.crt") => $$"""
        apiVersion: v1
        kind: {{kind}}
        metadata: {name: {{name}}}
        {{(kind == "Secret" ? "stringData" : "data")}}:
          {{key}}: |
        {{Indent(CaPem)}}
        ---

        """;

    private static TranslationResult Translate(string yaml)
    {
        var parsed = ResourceParser.Parse(yaml, new ResourceOrigin("test", "mtls.yaml", 0, 0));
        Assert.DoesNotContain(parsed.Diagnostics, d => d.IsError);
        return Translator.Translate(new ResourceSnapshot(parsed.Resources, parsed.Diagnostics));
    }

    private const string GatewayApiGateway = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          gatewayClassName: higress
          listeners:
          - name: https
            port: 443
            protocol: HTTPS
            tls:
              certificateRefs: [{name: cert}]
              frontendValidation: {caCertificateRefs: [{kind: ConfigMap, name: client-ca}]}
        """;

    [Fact]
    public void A_configmap_ca_bundle_makes_the_listener_require_client_certificates()
    {
        var result = Translate(ServerSecret + CaObject("ConfigMap", "client-ca") + GatewayApiGateway);

        var validation = Assert.Single(result.Plan.Listeners).Tls!.ClientValidation!;
        Assert.Equal(["ConfigMap default/client-ca"], validation.Sources);
        Assert.Contains("BEGIN CERTIFICATE", validation.CaBundlePem, StringComparison.Ordinal);
        Assert.Equal(RevocationCheck.NoCheck, validation.Revocation);
    }

    [Fact]
    public void A_native_listener_takes_the_same_field_with_a_secret_and_revocation()
    {
        const string Native = """
            apiVersion: networking.higress.io/v1alpha1
            kind: Gateway
            metadata: {name: gw}
            spec:
              listeners:
              - protocol: HTTPS
                port: 443
                tls:
                  certificateRefs: [{name: cert}]
                  frontendValidation: {caCertificateRefs: [{kind: Secret, name: client-ca}], revocation: Online}
            """;

        var result = Translate(ServerSecret + CaObject("Secret", "client-ca") + Native);

        var validation = Assert.Single(result.Plan.Listeners).Tls!.ClientValidation!;
        Assert.Equal(["Secret default/client-ca"], validation.Sources);
        Assert.Equal(RevocationCheck.Online, validation.Revocation);
    }

    [Fact]
    public void A_missing_ca_keeps_the_listener_closed_rather_than_open_without_mutual_tls()
    {
        var result = Translate(ServerSecret + CaObject("ConfigMap", "client-ca", key: "other.crt") + GatewayApiGateway);

        Assert.Empty(result.Plan.Listeners);
        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal("spec.listeners[0].tls.frontendValidation.caCertificateRefs[0]", error.FieldPath);
        Assert.Contains("ConfigMap default/client-ca does not exist or has no ca.crt", error.Message, StringComparison.Ordinal);
        Assert.Contains(result.Statuses.Single().Parents.SelectMany(p => p.Conditions), c => c is { Type: "ResolvedRefs", Reason: "InvalidCertificateRef" });
    }

    [Fact]
    public void A_ca_in_another_namespace_needs_a_reference_grant()
    {
        var gateway = GatewayApiGateway.Replace("name: client-ca}", "name: client-ca, namespace: pki}", StringComparison.Ordinal);

        var result = Translate(ServerSecret + CaObject("ConfigMap", "client-ca").Replace("name: client-ca}", "name: client-ca, namespace: pki}", StringComparison.Ordinal) + gateway);

        Assert.Empty(result.Plan.Listeners);
        Assert.Contains(result.Diagnostics, d => d.IsError && d.Message.Contains("no ReferenceGrant", StringComparison.Ordinal));
    }
}
