using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Higress.Hosting.Tests.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace Higress.Hosting.Tests.UpstreamTls;

/// <summary>
/// TLS origination toward real Kestrel HTTPS backends on 127.0.0.1 whose certificates come from a private CA made in
/// the test: verification against the CA and the configured name, client certificates, Secrets, BackendTLSPolicy,
/// and the backend protocol. A refused upstream answers 503 and never sees the request.
/// </summary>
public sealed class UpstreamTlsTests : IDisposable
{
    private readonly PrivateCa _ca = new();
    private readonly PrivateCa.Issued _server;

    public UpstreamTlsTests() => _server = _ca.Issue("api.internal", ["api.internal", "secure.internal"], ["spiffe://cluster.local/ns/default/sa/api"]);

    public void Dispose()
    {
        _server.Dispose();
        _ca.Dispose();
    }

    private static string Quoted(string text) => JsonSerializer.Serialize(text);

    // The ServiceEntry secure.internal on 127.0.0.1:port with the traffic policy, and the document separator after it.
    private static string SecureEntry(int port, string trafficPolicy, string protocol = "HTTP") => $$$"""
        apiVersion: networking.higress.io/v1alpha1
        kind: ServiceEntry
        metadata: {name: secure}
        spec:
          hosts: [secure.internal]
          ports: [{number: {{{port}}}, protocol: {{{protocol}}} }]
          endpoints: [{address: 127.0.0.1}]
          trafficPolicy: {{{trafficPolicy}}}
        ---

        """;

    private static string ServiceEntry(int port, string trafficPolicy, string protocol = "HTTP", string annotations = "{}") => SecureEntry(port, trafficPolicy, protocol) + $$$"""
        apiVersion: networking.higress.io/v1alpha1
        kind: Route
        metadata: {name: r, annotations: {{{annotations}}} }
        spec:
          http:
          - route: [{destination: {host: secure.internal, port: {{{port}}} } }]
        """;

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(TlsBackend backend, string yaml)
    {
        await using var gateway = await LoopbackGateway.StartAsync(r => r.AddYaml(yaml), new Dictionary<string, string?> { ["Higress:DetailedErrors"] = "true" });
        using var response = await gateway.Client.GetAsync(new Uri("/hello", UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Simple_with_the_ca_file_and_sni_reaches_the_backend_and_sends_that_sni()
    {
        await using var backend = await TlsBackend.StartAsync(_server.Certificate);
        var ca = _ca.WriteFile(_ca.Pem);

        var (status, body) = await GetAsync(backend, ServiceEntry(backend.Port, $"{{tls: {{mode: SIMPLE, sni: api.internal, caCertificates: {ca}}}}}"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("HTTP/1.1 https client=none", body);
        Assert.Equal("api.internal", backend.Sni);
    }

    [Fact]
    public async Task A_mirror_cluster_with_tls_gets_its_copies_over_that_tls()
    {
        await using var primary = await TlsBackend.StartAsync(null);
        await using var mirror = await TlsBackend.StartAsync(_server.Certificate);
        var ca = _ca.WriteFile(_ca.Pem);
        var yaml = SecureEntry(mirror.Port, $"{{tls: {{mode: SIMPLE, sni: api.internal, caCertificates: {ca}}}}}") + LoopbackGateway.Route(LoopbackGateway.ForwardTo("up", primary.Port) + $"\nmirror: {{host: secure.internal, port: {mirror.Port}}}");
        await using var gateway = await LoopbackGateway.StartAsync(r => r.AddService("up", primary.Port, ["127.0.0.1"]).AddYaml(yaml));

        using var response = await gateway.Client.GetAsync(new Uri("/hello", UriKind.Relative));

        // The copy verified the mirror against the cluster's CA and sent the cluster's server name: without the
        // cluster's TLS it would have trusted only the system roots and failed.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("HTTP/1.1 http client=none", await response.Content.ReadAsStringAsync());
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(mirror.Requests == 1)));
        Assert.Equal("api.internal", mirror.Sni);
    }

    [Fact]
    public async Task Without_sni_the_certificate_must_name_the_destination_host_not_the_endpoint_address()
    {
        await using var backend = await TlsBackend.StartAsync(_server.Certificate);
        var ca = _ca.WriteFile(_ca.Pem);

        var (status, _) = await GetAsync(backend, ServiceEntry(backend.Port, $"{{tls: {{mode: SIMPLE, caCertificates: {ca}}}}}"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("secure.internal", backend.Sni);
    }

    [Fact]
    public async Task A_wrong_sni_is_refused_with_503_and_nothing_is_forwarded()
    {
        await using var backend = await TlsBackend.StartAsync(_server.Certificate);
        var ca = _ca.WriteFile(_ca.Pem);

        var (status, _) = await GetAsync(backend, ServiceEntry(backend.Port, $"{{tls: {{mode: SIMPLE, sni: other.internal, caCertificates: {ca}}}}}"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal(0, backend.Requests);
    }

    [Fact]
    public async Task A_certificate_from_another_ca_is_refused_with_503()
    {
        using var other = new PrivateCa("Other CA");
        await using var backend = await TlsBackend.StartAsync(_server.Certificate);
        var ca = _ca.WriteFile(other.Pem);

        var (status, _) = await GetAsync(backend, ServiceEntry(backend.Port, $"{{tls: {{mode: SIMPLE, caCertificates: {ca}}}}}"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal(0, backend.Requests);
    }

    [Fact]
    public async Task Every_refused_handshake_is_counted_by_cluster_and_reason()
    {
        using var other = new PrivateCa("Other CA");
        await using var backend = await TlsBackend.StartAsync(_server.Certificate);
        var ca = _ca.WriteFile(other.Pem);
        var admin = LoopbackGateway.FreePort();
        var settings = new Dictionary<string, string?> { ["Higress:Admin:Port"] = admin.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        await using var gateway = await LoopbackGateway.StartAsync(r => r.AddYaml(ServiceEntry(backend.Port, $"{{tls: {{mode: SIMPLE, caCertificates: {ca}}}}}")), settings);
        for (var i = 0; i < 2; i++)
        {
            using var refused = await gateway.Client.GetAsync(new Uri("/", UriKind.Relative));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        }

        using var client = new HttpClient();
        var metrics = await client.GetStringAsync(new Uri($"http://127.0.0.1:{admin}/metrics"));

        Assert.Contains($"higress_upstream_tls_failures_total{{cluster=\"serviceentry/default/secure.internal:{backend.Port}\",reason=\"untrusted\"}} 2", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_ca_the_system_roots_refuse_a_private_ca()
    {
        await using var backend = await TlsBackend.StartAsync(_server.Certificate);

        var (status, _) = await GetAsync(backend, ServiceEntry(backend.Port, "{tls: {mode: SIMPLE}}"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal(0, backend.Requests);
    }

    [Theory]
    [InlineData("spiffe://cluster.local/ns/default/sa/api", HttpStatusCode.OK)]
    [InlineData("secure.internal", HttpStatusCode.OK)]
    [InlineData("spiffe://cluster.local/ns/default/sa/other", HttpStatusCode.ServiceUnavailable)]
    public async Task SubjectAltNames_replace_the_name_check(string san, HttpStatusCode expected)
    {
        await using var backend = await TlsBackend.StartAsync(_server.Certificate);
        var ca = _ca.WriteFile(_ca.Pem);

        var (status, _) = await GetAsync(backend, ServiceEntry(backend.Port, $"{{tls: {{mode: SIMPLE, sni: not-in-the-cert.internal, caCertificates: {ca}, subjectAltNames: [\"{san}\"]}}}}"));

        Assert.Equal(expected, status);
    }

    [Fact]
    public async Task Mutual_presents_the_client_certificate_from_files()
    {
        using var client = _ca.Issue("gateway-client", ["gateway.internal"], client: true);
        await using var backend = await TlsBackend.StartAsync(_server.Certificate, clientCa: _ca);
        var (ca, certificate, key) = (_ca.WriteFile(_ca.Pem), _ca.WriteFile(client.CertificatePem), _ca.WriteFile(client.KeyPem));

        var (status, body) = await GetAsync(backend, ServiceEntry(backend.Port, $"{{tls: {{mode: MUTUAL, caCertificates: {ca}, clientCertificate: {certificate}, privateKey: {key}}}}}"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("HTTP/1.1 https client=CN=gateway-client", body);
    }

    [Fact]
    public async Task A_backend_that_requires_a_client_certificate_never_sees_a_request_sent_without_one()
    {
        await using var backend = await TlsBackend.StartAsync(_server.Certificate, clientCa: _ca);
        var ca = _ca.WriteFile(_ca.Pem);

        var (status, body) = await GetAsync(backend, ServiceEntry(backend.Port, $"{{tls: {{mode: SIMPLE, caCertificates: {ca}}}}}"));

        // With TLS 1.3 the backend refuses the missing certificate after the client's handshake has completed, so the
        // refusal arrives as a connection error on the request (502), not as a failed handshake (503).
        Assert.True(status is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable, body);
        Assert.Equal(0, backend.Requests);
    }

    [Theory]
    [InlineData("tls.crt", "tls.key", "ca.crt")]
    [InlineData("cert", "key", "cacert")]
    public async Task Mutual_with_credentialName_reads_certificate_key_and_ca_from_the_secret(string certKey, string keyKey, string caKey)
    {
        using var client = _ca.Issue("secret-client", ["gateway.internal"], client: true);
        await using var backend = await TlsBackend.StartAsync(_server.Certificate, clientCa: _ca);
        var secret = $$"""
            apiVersion: v1
            kind: Secret
            metadata: {name: upstream-client}
            stringData: { {{certKey}}: {{Quoted(client.CertificatePem)}}, {{keyKey}}: {{Quoted(client.KeyPem)}}, {{caKey}}: {{Quoted(_ca.Pem)}} }
            ---

            """;

        var (status, body) = await GetAsync(backend, secret + ServiceEntry(backend.Port, "{tls: {mode: MUTUAL, credentialName: upstream-client}}"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("HTTP/1.1 https client=CN=secret-client", body);
    }

    [Fact]
    public async Task A_changed_ca_file_is_read_for_the_next_connection()
    {
        using var other = new PrivateCa("Other CA");
        await using var backend = await TlsBackend.StartAsync(_server.Certificate);
        var ca = _ca.WriteFile(other.Pem);
        await using var gateway = await LoopbackGateway.StartAsync(r => r.AddYaml(ServiceEntry(backend.Port, $"{{tls: {{mode: SIMPLE, caCertificates: {ca}}}}}")));
        using (var refused = await gateway.Client.GetAsync(new Uri("/", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        }

        await File.WriteAllTextAsync(ca, _ca.Pem + "\n");
        using var accepted = await gateway.Client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task BackendTlsPolicy_originates_tls_to_its_service_with_the_configmap_ca_and_hostname()
    {
        await using var backend = await TlsBackend.StartAsync(_server.Certificate);
        var yaml = $$"""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: api-ca}
            data: {ca.crt: {{Quoted(_ca.Pem)}} }
            ---
            apiVersion: gateway.networking.k8s.io/v1alpha3
            kind: BackendTLSPolicy
            metadata: {name: api-tls}
            spec:
              targetRefs: [{group: "", kind: Service, name: api}]
              validation: {caCertificateRefs: [{group: "", kind: ConfigMap, name: api-ca}], hostname: api.internal}
            ---
            {{LoopbackGateway.Route(LoopbackGateway.ForwardTo("api", backend.Port))}}
            """;
        await using var gateway = await LoopbackGateway.StartAsync(r => r.AddService("api", backend.Port, ["127.0.0.1"]).AddYaml(yaml));

        using var response = await gateway.Client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("HTTP/1.1 https client=none", await response.Content.ReadAsStringAsync());
        Assert.Equal("api.internal", backend.Sni);
    }

    [Theory]
    [InlineData("HTTP2", "{}", false, "HTTP/2 http")]
    [InlineData("GRPC", "{}", false, "HTTP/2 http")]
    [InlineData("HTTP", "{higress.io/backend-protocol: HTTP2}", false, "HTTP/2 http")]
    [InlineData("GRPCS", "{}", true, "HTTP/2 https")]
    [InlineData("HTTP", "{higress.io/backend-protocol: GRPCS}", true, "HTTP/2 https")]
    [InlineData("HTTP", "{higress.io/backend-protocol: HTTPS}", true, "HTTP/1.1 https")]
    public async Task The_backend_protocol_selects_http2_and_tls(string portProtocol, string annotations, bool tls, string expected)
    {
        var http2 = expected.StartsWith("HTTP/2", StringComparison.Ordinal);
        await using var backend = await TlsBackend.StartAsync(tls ? _server.Certificate : null, http2 ? HttpProtocols.Http2 : HttpProtocols.Http1);
        var ca = _ca.WriteFile(_ca.Pem);
        var policy = tls ? $"{{tls: {{mode: SIMPLE, caCertificates: {ca}}}}}" : "{}";

        var (status, body) = await GetAsync(backend, ServiceEntry(backend.Port, policy, portProtocol, annotations));

        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal(expected + " client=none", body);
    }

    private sealed class TlsBackend(WebApplication app, int port) : IAsyncDisposable
    {
        private int _requests;
        private string? _sni;

        public int Port { get; } = port;

        public int Requests => Volatile.Read(ref _requests);

        public string? Sni => Volatile.Read(ref _sni);

        /// <summary>A backend answering "protocol scheme client=subject"; HTTPS with <paramref name="certificate"/>, else cleartext.</summary>
        public static async Task<TlsBackend> StartAsync(X509Certificate2? certificate, HttpProtocols protocols = HttpProtocols.Http1, PrivateCa? clientCa = null)
        {
            var port = LoopbackGateway.FreePort();
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Production" });
            builder.Logging.ClearProviders();
            TlsBackend? backend = null;
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l =>
            {
                l.Protocols = protocols;
                if (certificate is null)
                {
                    return;
                }

                l.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificateSelector = (_, name) =>
                    {
                        Volatile.Write(ref backend!._sni, name);
                        return certificate;
                    },
                    ClientCertificateMode = clientCa is null ? ClientCertificateMode.NoCertificate : ClientCertificateMode.RequireCertificate,
                    ClientCertificateValidation = (client, _, _) => clientCa is not null && Chains(client, clientCa.Certificate),
                });
            }));
            var app = builder.Build();
            backend = new TlsBackend(app, port);
            app.Run(context =>
            {
                Interlocked.Increment(ref backend._requests);
                var client = context.Connection.ClientCertificate?.Subject ?? "none";
                return context.Response.WriteAsync($"{context.Request.Protocol} {context.Request.Scheme} client={client}");
            });
            await app.StartAsync();
            return backend;
        }

        private static bool Chains(X509Certificate2 certificate, X509Certificate2 root)
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(root);
            return chain.Build(certificate);
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
