using System.Net;
using System.Net.Quic;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Higress.EndToEnd.Tests.Infrastructure;

namespace Higress.EndToEnd.Tests.Security;

/// <summary>
/// Mutual TLS on an HTTPS listener (<c>tls.frontendValidation</c> with a ConfigMap CA bundle), with real Kestrel,
/// real <see cref="SslStream"/> and <see cref="HttpClient"/> clients and certificates made here: refusal at the
/// handshake, the forwarded identity, certificate and CA rotation under open connections, and HTTP/3's state.
/// </summary>
public sealed class MutualTlsTests : IAsyncLifetime
{
    private readonly int _httpsPort = FreePorts.Next();
    private readonly int _httpPort = FreePorts.Next();
    private readonly int _plainHttpsPort = FreePorts.Next();
    private readonly TestPki _serverCa = new("server-ca");
    private readonly TestPki _clientCa = new("client-ca");
    private readonly TestPki _otherCa = new("other-ca");
    private X509Certificate2? _serverCertificate;
    private EchoBackend? _backend;
    private GatewayHost? _gateway;

    public async Task InitializeAsync()
    {
        _serverCertificate = _serverCa.Issue("gateway.example.com", server: true);
        _backend = await EchoBackend.StartAsync("default", "echo");
        _gateway = await GatewayHost.StartAsync(new Dictionary<string, string>
        {
            ["gateway.yaml"] = GatewayYaml(),
            ["server-cert.yaml"] = TestPki.TlsSecretYaml("server-cert", _serverCertificate),
            ["client-ca.yaml"] = TestPki.CaConfigMapYaml("client-ca", _clientCa.Pem),
        });
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        if (_backend is not null)
        {
            await _backend.DisposeAsync();
        }

        _serverCertificate?.Dispose();
        _serverCa.Dispose();
        _clientCa.Dispose();
        _otherCa.Dispose();
    }

    [Fact]
    public async Task A_client_without_a_certificate_is_refused_at_the_handshake()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _httpsPort);
        await using var tls = new SslStream(tcp.GetStream());

        // The server decides once the client's handshake messages are in; depending on the TLS version the client
        // learns it from the handshake itself or from the connection closing before any answer.
        var answered = 0;
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "gateway.example.com",
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            });
            await tls.WriteAsync("GET /who HTTP/1.1\r\nHost: gateway.example.com\r\n\r\n"u8.ToArray());
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            answered = await tls.ReadAsync(new byte[1024], timeout.Token);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
        }

        Assert.Equal(0, answered);
        Assert.Empty(_backend!.Received);
    }

    [Fact]
    public async Task A_client_certificate_from_another_ca_is_refused_and_never_reaches_the_backend()
    {
        using var untrusted = _otherCa.Issue("intruder", server: false);
        using var client = Client(untrusted, out _);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri($"https://127.0.0.1:{_httpsPort}/who")));

        Assert.Empty(_backend!.Received);
    }

    [Fact]
    public async Task A_trusted_client_reaches_the_backend_with_its_identity_forwarded_and_a_forged_one_replaced()
    {
        using var certificate = _clientCa.Issue("client-1", server: false, dns: "client-1.example.com", uri: "spiffe://example.com/ns/default/sa/client-1");
        using var client = Client(certificate, out _);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"https://127.0.0.1:{_httpsPort}/who"));
        request.Headers.TryAddWithoutValidation("x-forwarded-client-cert", "Hash=forged;Subject=\"CN=admin\"");

        using var response = await client.SendAsync(request);
        var echo = EchoResponse.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var forwarded = Assert.Single(echo.Header("x-forwarded-client-cert"));
        var hash = Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
        Assert.Equal($"Hash={hash};Subject=\"CN=client-1\";URI=spiffe://example.com/ns/default/sa/client-1;DNS=client-1.example.com", forwarded);
    }

    [Fact]
    public async Task A_listener_without_mutual_tls_strips_a_client_sent_header()
    {
        var response = await _gateway!.SendAsync(_httpPort, "plain.example.com", "/who", headers: [new("x-forwarded-client-cert", "Hash=forged")]);

        Assert.Equal(200, response.Code);
        Assert.Empty(response.Echo.Header("x-forwarded-client-cert"));
    }

    [Fact]
    public async Task A_rotated_server_certificate_is_served_to_new_connections_while_an_open_one_keeps_working()
    {
        using var clientCertificate = _clientCa.Issue("client-1", server: false);
        using var open = Client(clientCertificate, out var openSeen);
        Assert.Equal(HttpStatusCode.OK, (await open.GetAsync(new Uri($"https://127.0.0.1:{_httpsPort}/before"))).StatusCode);

        using var rotated = _serverCa.Issue("gateway.example.com", server: true);
        await _gateway!.ApplyAsync("server-cert.yaml", TestPki.TlsSecretYaml("server-cert", rotated));

        // The store swaps when the plan is applied, which may land a moment after the file was read: a new connection
        // (a new client, so a new handshake) is tried until it gets the rotated certificate, for at most 10 s.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        List<string> freshSeen;
        HttpStatusCode freshStatus;
        while (true)
        {
            using var fresh = Client(clientCertificate, out freshSeen);
            freshStatus = (await fresh.GetAsync(new Uri($"https://127.0.0.1:{_httpsPort}/fresh"))).StatusCode;
            if (freshSeen.Contains(rotated.Thumbprint) || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(50);
        }

        var openResponse = await open.GetAsync(new Uri($"https://127.0.0.1:{_httpsPort}/after"));

        Assert.Equal(HttpStatusCode.OK, freshStatus);
        Assert.Equal([rotated.Thumbprint], freshSeen);
        Assert.Equal(HttpStatusCode.OK, openResponse.StatusCode);
        Assert.Equal([_serverCertificate!.Thumbprint], openSeen);
    }

    [Fact]
    public async Task A_rotated_ca_admits_its_clients_and_refuses_those_of_the_old_one()
    {
        using var newCa = new TestPki("client-ca-2");
        using var oldClient = _clientCa.Issue("old-client", server: false);
        using var newClient = newCa.Issue("new-client", server: false);

        await _gateway!.ApplyAsync("client-ca.yaml", TestPki.CaConfigMapYaml("client-ca", newCa.Pem));
        using var admitted = Client(newClient, out _);
        using var refused = Client(oldClient, out _);

        Assert.Equal(HttpStatusCode.OK, (await admitted.GetAsync(new Uri($"https://127.0.0.1:{_httpsPort}/new"))).StatusCode);
        await Assert.ThrowsAsync<HttpRequestException>(() => refused.GetAsync(new Uri($"https://127.0.0.1:{_httpsPort}/old")));
    }

    [Fact]
    public async Task Http3_is_served_where_quic_is_supported_and_reported_unsupported_elsewhere()
    {
        using var certificate = _clientCa.Issue("client-1", server: false);
        using var client = Client(certificate, out _);
        using var plain = await client.GetAsync(new Uri($"https://127.0.0.1:{_plainHttpsPort}/h3"));
        using var mutual = await client.GetAsync(new Uri($"https://127.0.0.1:{_httpsPort}/h3"));
        var endpoints = (await _gateway!.Client.ConfigDumpAsync())["listeners"]!.AsArray();
        string? Http3(int port) => (string?)endpoints.Single(e => (int?)e!["port"] == port)!["http3"];

        if (QuicListener.IsSupported)
        {
            Assert.Equal("open", Http3(_plainHttpsPort));
            Assert.True(plain.Headers.Contains("alt-svc"));
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"https://127.0.0.1:{_plainHttpsPort}/h3"))
            {
                Version = HttpVersion.Version30,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            using var overQuic = await client.SendAsync(request);
            Assert.Equal(HttpVersion.Version30, overQuic.Version);
            Assert.StartsWith("off: mutual TLS", Http3(_httpsPort), StringComparison.Ordinal);
        }
        else
        {
            Assert.StartsWith("unsupported: QUIC is not supported on this machine", Http3(_plainHttpsPort), StringComparison.Ordinal);
            Assert.False(plain.Headers.Contains("alt-svc"));
            Assert.StartsWith("unsupported: ", Http3(_httpsPort), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.False(mutual.Headers.Contains("alt-svc"));
        Assert.Null(Http3(_httpPort));
    }

    /// <summary>
    /// A client presenting <paramref name="certificate"/> that trusts only the test's server CA; <paramref name="seen"/>
    /// collects the thumbprint of the server certificate of each connection it opens (one connection at most).
    /// </summary>
    private HttpClient Client(X509Certificate2 certificate, out List<string> seen)
    {
        var thumbprints = new List<string>();
        seen = thumbprints;
        var serverCa = _serverCa.Certificate;
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            SslOptions = new SslClientAuthenticationOptions
            {
                TargetHost = "gateway.example.com",
                ClientCertificates = [certificate],
                RemoteCertificateValidationCallback = (_, server, _, _) =>
                {
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(serverCa);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    var leaf = (X509Certificate2)server!;
                    lock (thumbprints)
                    {
                        thumbprints.Add(leaf.Thumbprint);
                    }

                    return chain.Build(leaf);
                },
            },
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    private string GatewayYaml() => $$"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: mtls}
        spec:
          gatewayClassName: higress
          listeners:
          - name: https
            port: {{_httpsPort}}
            protocol: HTTPS
            tls:
              certificateRefs: [{name: server-cert}]
              frontendValidation: {caCertificateRefs: [{kind: ConfigMap, name: client-ca}]}
          - {name: http, port: {{_httpPort}}, protocol: HTTP}
          - {name: https-plain, port: {{_plainHttpsPort}}, protocol: HTTPS, tls: {certificateRefs: [{name: server-cert}] } }
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: echo}
        spec:
          parentRefs: [{name: mtls}]
          rules:
          - backendRefs: [{name: echo, port: 80}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: echo}
        spec:
          ports: [{port: 80}]
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: echo-1
          labels: {kubernetes.io/service-name: echo}
        addressType: IPv4
        endpoints: [{addresses: ["127.0.0.1"]}]
        ports: [{port: {{_backend!.Port}}}]
        """;
}
