using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Higress.Hosting.Tests;
using Higress.Kubernetes.Tests.Fake;

namespace Higress.Kubernetes.Tests.Watching;

/// <summary>
/// What the cluster tells the gateway about its backends and certificates, through the watch: EndpointSlice
/// conditions decide which endpoints take traffic, and a Secret's certificate is what an HTTPS listener serves.
/// </summary>
public sealed class DiscoveryTests
{
    [Fact]
    public async Task EndpointSlice_conditions_decide_which_endpoints_take_traffic_as_they_change()
    {
        await using var api = await FakeKubeApiServer.StartAsync();
        await using var a = await NamedBackend.StartAsync(api, "a");
        await using var b = await NamedBackend.StartAsync(api, "b");
        api.Put("""{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "pool", "namespace": "default"}, "spec": {"ports": [{"name": "http", "port": 80}]}}""");
        api.Put(Slice("pool-a", a.Port, """{"ready": true}"""));
        api.Put(Slice("pool-b", b.Port, """{"ready": true}"""));
        api.Put(NamedBackend.Route("pool", "/pool", "pool"));
        await using var gateway = await WatchedGateway.StartAsync(api);
        await WatchedGateway.WaitUntilAsync(async () => (await Answers(gateway)).SetEquals(["a", "b"]), "both ready endpoints take traffic");

        // a is shutting down: not ready, still serving. b is ready, so only b takes traffic.
        api.Put(Slice("pool-a", a.Port, """{"ready": false, "serving": true, "terminating": true}"""));
        await WatchedGateway.WaitUntilAsync(async () => (await Answers(gateway)).SetEquals(["b"]), "only the ready endpoint takes traffic");

        // b goes away too, without serving: a, still serving while it terminates, is better than nothing.
        api.Put(Slice("pool-b", b.Port, """{"ready": false, "serving": false, "terminating": true}"""));
        await WatchedGateway.WaitUntilAsync(async () => (await Answers(gateway)).SetEquals(["a"]), "the serving, terminating endpoint takes traffic when none is ready");

        // Both slices deleted: the Service has no endpoint left, and the gateway says so instead of guessing.
        Assert.True(api.Delete("discovery.k8s.io/v1", "EndpointSlice", "default/pool-a"));
        Assert.True(api.Delete("discovery.k8s.io/v1", "EndpointSlice", "default/pool-b"));
        await WatchedGateway.WaitUntilAsync(async () => await gateway.GetAsync("/pool") == "503", "a Service without endpoints answers 503");
    }

    [Fact]
    public async Task An_https_listener_serves_the_certificate_of_its_Secret_and_a_changed_Secret_reaches_new_connections()
    {
        await using var api = await FakeKubeApiServer.StartAsync();
        var port = TestPorts.Next();
        using var first = Certificate("CN=first.example.com");
        using var second = Certificate("CN=second.example.com");
        api.Put(TlsSecret("site-tls", first));
        api.Put("""
            {"apiVersion": "networking.higress.io/v1alpha1", "kind": "Gateway", "metadata": {"name": "secure", "namespace": "default"},
             "spec": {"listeners": [{"protocol": "HTTPS", "port": PORT, "tls": {"certificateRefs": [{"name": "site-tls"}]}}]}}
            """.Replace("PORT", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        await using var gateway = await WatchedGateway.StartAsync(api);
        await WatchedGateway.WaitUntilAsync(async () => await ServedSubject(port) == "CN=first.example.com", "the listener serves the Secret's certificate");

        api.Put(TlsSecret("site-tls", second));
        await WatchedGateway.WaitUntilAsync(async () => await ServedSubject(port) == "CN=second.example.com", "a new connection gets the changed Secret's certificate");
    }

    [Fact]
    public async Task A_plugin_credential_comes_from_a_Secret_and_a_changed_Secret_replaces_it()
    {
        await using var api = await FakeKubeApiServer.StartAsync();
        await using var orders = await NamedBackend.StartAsync(api, "orders");
        api.Put(KeySecret("first-key"));
        api.Put("""
            {"apiVersion": "networking.higress.io/v1alpha1", "kind": "Route", "metadata": {"name": "orders", "namespace": "default"},
             "spec": {"gateways": ["gw"], "http": [{"match": [{"uri": {"prefix": "/orders"}}], "route": [{"destination": {"host": "orders", "port": 80}}],
               "plugins": [{"name": "key-auth", "config": {"keys": ["x-api-key"],
                 "consumers": [{"name": "partner", "credential_ref": {"name": "partner-keys", "key": "api-key"}}]}}]}]}}
            """);
        await using var gateway = await WatchedGateway.StartAsync(api);
        await WatchedGateway.WaitUntilAsync(async () => await WithKey(gateway, "first-key") == "orders", "the key from the Secret is accepted");
        Assert.Equal("401", await WithKey(gateway, "second-key"));

        api.Put(KeySecret("second-key"));
        await WatchedGateway.WaitUntilAsync(async () => await WithKey(gateway, "second-key") == "orders", "the changed Secret's key is accepted");
        Assert.Equal("401", await WithKey(gateway, "first-key"));
    }

    private static string KeySecret(string key) => $$$"""
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "partner-keys", "namespace": "default"},
         "data": {"api-key": "{{{Convert.ToBase64String(Encoding.UTF8.GetBytes(key))}}}"}}
        """;

    private static async Task<string> WithKey(WatchedGateway gateway, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/orders");
        request.Headers.Add("x-api-key", key);
        try
        {
            using var response = await gateway.Client.SendAsync(request);
            return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        }
        catch (HttpRequestException ex)
        {
            return ex.Message; // the listener is not open yet
        }
    }

    /// <summary>The distinct bodies of 20 requests to <c>/pool</c>.</summary>
    private static async Task<HashSet<string>> Answers(WatchedGateway gateway)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 20; i++)
        {
            seen.Add(await gateway.GetAsync("/pool"));
        }

        return seen;
    }

    private static string Slice(string name, int port, string conditions) => """
        {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
         "metadata": {"name": "NAME", "namespace": "default", "labels": {"kubernetes.io/service-name": "pool"}},
         "addressType": "IPv4", "ports": [{"name": "http", "port": PORT}], "endpoints": [{"addresses": ["127.0.0.1"], "conditions": CONDITIONS}]}
        """.Replace("NAME", name, StringComparison.Ordinal).Replace("PORT", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("CONDITIONS", conditions, StringComparison.Ordinal);

    private static X509Certificate2 Certificate(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509Certificate2.CreateFromPem(created.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    private static string TlsSecret(string name, X509Certificate2 certificate)
    {
        var crt = Convert.ToBase64String(Encoding.ASCII.GetBytes(certificate.ExportCertificatePem()));
        var key = Convert.ToBase64String(Encoding.ASCII.GetBytes(certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem()));
        return $$$"""
            {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "{{{name}}}", "namespace": "default"}, "type": "kubernetes.io/tls",
             "data": {"tls.crt": "{{{crt}}}", "tls.key": "{{{key}}}"}}
            """;
    }

    /// <summary>The subject of the certificate a new TLS connection to <paramref name="port"/> is served, or the failure.</summary>
    private static async Task<string> ServedSubject(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port);
            await using var tls = new SslStream(client.GetStream(), false, (_, _, _, _) => true);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "site.example.com" });
            return tls.RemoteCertificate?.Subject ?? "no certificate";
        }
        catch (Exception ex) when (ex is SocketException or IOException or System.Security.Authentication.AuthenticationException)
        {
            return ex.Message;
        }
    }
}
