using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Higress.Core.Plan;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;
using Higress.Core.Translation;

namespace Higress.Core.Tests.Translation;

/// <summary>Upstream TLS and protocol in the plan: credentialName Secrets, BackendTLSPolicy, backend-protocol.</summary>
public sealed class UpstreamTlsResolverTests
{
    private static readonly (string Certificate, string Key) Pem = CreatePem();

    private static TranslationResult Translate(string yaml)
    {
        var parsed = ResourceParser.Parse(yaml, new ResourceOrigin("test", "test.yaml", 0, 0));
        Assert.DoesNotContain(parsed.Diagnostics, d => d.IsError);
        return Translator.Translate(new ResourceSnapshot(parsed.Resources, parsed.Diagnostics));
    }

    private static string Indent(string pem) => "|\n" + string.Join('\n', pem.Trim().Split('\n').Select(l => "    " + l));

    private static string Secret(string name, string certKey, string keyKey, string caKey, string ca) => $"""
        apiVersion: v1
        kind: Secret
        metadata: {'{'}name: {name}{'}'}
        stringData:
          {certKey}: {Indent(Pem.Certificate)}
          {keyKey}: {Indent(Pem.Key)}
          {caKey}: {Indent(ca)}
        ---

        """;

    [Theory]
    [InlineData("tls.crt", "tls.key", "ca.crt")]
    [InlineData("cert", "key", "cacert")]
    public void CredentialName_reads_the_client_certificate_and_ca_from_the_secret(string certKey, string keyKey, string caKey)
    {
        var result = Translate(Secret("client", certKey, keyKey, caKey, Pem.Certificate) + ServiceEntryChecksTests.Yaml("    tls: {mode: MUTUAL, credentialName: client}"));

        var tls = Assert.Single(result.Plan.Clusters).Tls!;
        Assert.Equal("default/client", tls.ClientCertificate!.Secret);
        Assert.Equal(Pem.Certificate.Trim(), tls.ClientCertificate.CertificatePem.Trim());
        Assert.Equal(Pem.Certificate.Trim(), tls.CaPem!.Trim());
    }

    [Fact]
    public void A_changed_secret_changes_the_plan()
    {
        var before = Translate(Secret("client", "tls.crt", "tls.key", "ca.crt", Pem.Certificate) + ServiceEntryChecksTests.Yaml("    tls: {mode: SIMPLE, credentialName: client}"));
        var other = CreatePem().Certificate;
        var after = Translate(Secret("client", "tls.crt", "tls.key", "ca.crt", other) + ServiceEntryChecksTests.Yaml("    tls: {mode: SIMPLE, credentialName: client}"));

        Assert.NotEqual(Assert.Single(before.Plan.Clusters), Assert.Single(after.Plan.Clusters));
        Assert.Null(Assert.Single(before.Plan.Clusters).Tls!.ClientCertificate);
    }

    private static string ServiceYaml(string appProtocol, string annotations = "{}") => $$$"""
        apiVersion: networking.higress.io/v1alpha1
        kind: Gateway
        metadata: {name: gw}
        spec:
          listeners: [{protocol: HTTP, port: 8080}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: api}
        spec:
          ports: [{name: web, port: 443, {{{appProtocol}}} }]
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: api-1, labels: {kubernetes.io/service-name: api}}
        addressType: IPv4
        ports: [{name: web, port: 8443}]
        endpoints: [{addresses: [10.0.0.1]}]
        ---
        apiVersion: networking.higress.io/v1alpha1
        kind: Route
        metadata: {name: r, annotations: {{{annotations}}} }
        spec:
          http:
          - route: [{destination: {host: api, port: 443}}]
        """;

    [Fact]
    public void BackendTlsPolicy_originates_tls_to_its_service_with_the_configmap_ca_and_hostname()
    {
        var yaml = ServiceYaml("appProtocol: http") + $"""

            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {"{"}name: ca{"}"}
            data:
              ca.crt: {Indent(Pem.Certificate)}
            ---
            apiVersion: gateway.networking.k8s.io/v1alpha3
            kind: BackendTLSPolicy
            metadata: {"{"}name: api-tls{"}"}
            spec:
              targetRefs: [{"{"}group: "", kind: Service, name: api{"}"}]
              validation: {"{"}caCertificateRefs: [{"{"}group: "", kind: ConfigMap, name: ca{"}"}], hostname: api.example.com{"}"}
            """;
        var cluster = Assert.Single(Translate(yaml).Plan.Clusters);

        Assert.Equal(UpstreamProtocol.Https, cluster.Protocol);
        Assert.Equal("https://10.0.0.1:8443", Assert.Single(cluster.Destinations).Address);
        Assert.Equal("api.example.com", cluster.Tls!.ServerName);
        Assert.Equal(Pem.Certificate.Trim(), cluster.Tls.CaPem!.Trim());
    }

    [Fact]
    public void BackendTlsPolicy_with_a_missing_ca_refuses_the_backend()
    {
        var yaml = ServiceYaml("appProtocol: http") + """

            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: BackendTLSPolicy
            metadata: {name: api-tls}
            spec:
              targetRefs: [{group: "", kind: Service, name: api}]
              validation: {caCertificateRefs: [{group: "", kind: ConfigMap, name: nope}], hostname: api.example.com}
            """;
        var result = Translate(yaml);

        Assert.Empty(result.Plan.Clusters);
        var backend = Assert.Single(Assert.IsType<ForwardAction>(Assert.Single(result.Plan.Routes).Action).Backends);
        Assert.Contains("ConfigMap default/nope does not exist", backend.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("appProtocol: https", "{}", UpstreamProtocol.Https)]
    [InlineData("appProtocol: kubernetes.io/h2c", "{}", UpstreamProtocol.Http2)]
    [InlineData("appProtocol: grpcs", "{}", UpstreamProtocol.Http2Tls)]
    [InlineData("appProtocol: http", "{higress.io/backend-protocol: GRPCS}", UpstreamProtocol.Http2Tls)]
    [InlineData("appProtocol: http", "{higress.io/backend-protocol: GRPC}", UpstreamProtocol.Http2)]
    [InlineData("appProtocol: https", "{higress.io/backend-protocol: HTTP}", UpstreamProtocol.Http1)]
    public void Backend_protocol_comes_from_the_annotation_else_the_service_port(string appProtocol, string annotations, UpstreamProtocol expected)
    {
        var cluster = Assert.Single(Translate(ServiceYaml(appProtocol, annotations)).Plan.Clusters);

        Assert.Equal(expected, cluster.Protocol);
        Assert.Equal(expected is UpstreamProtocol.Https or UpstreamProtocol.Http2Tls, cluster.Tls is not null);
        Assert.Equal(annotations == "{}" ? "default/api:443" : "default/api:443+" + annotations.Split(": ")[1].TrimEnd('}').ToLowerInvariant(), cluster.Id);
        if (cluster.Tls is { } tls)
        {
            Assert.Equal("api.default.svc.cluster.local", tls.ServerName);
        }
    }

    [Fact]
    public void An_unknown_backend_protocol_is_an_error_on_the_route()
    {
        var result = Translate(ServiceYaml("appProtocol: http", "{higress.io/backend-protocol: QUIC}"));

        var backend = Assert.Single(Assert.IsType<ForwardAction>(Assert.Single(result.Plan.Routes).Action).Backends);
        Assert.Contains("higress.io/backend-protocol: 'QUIC' is not one of HTTP, HTTP2, HTTPS, GRPC, GRPCS", backend.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Disable_keeps_an_https_port_in_the_clear_and_simple_originates_whatever_the_port_says()
    {
        static ClusterPlan Cluster(string protocol, string tls) => Assert.Single(Translate(ServiceEntryChecksTests.Yaml("    tls: " + tls).Replace("protocol: HTTP}", $"protocol: {protocol}}}", StringComparison.Ordinal)).Plan.Clusters);

        Assert.Equal(UpstreamProtocol.Http1, Cluster("HTTPS", "{mode: DISABLE}").Protocol);
        Assert.Equal(UpstreamProtocol.Https, Cluster("HTTP", "{mode: SIMPLE}").Protocol);
        Assert.Equal(UpstreamProtocol.Http2Tls, Cluster("GRPC", "{mode: SIMPLE}").Protocol);
    }

    private static (string Certificate, string Key) CreatePem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=client", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }
}
