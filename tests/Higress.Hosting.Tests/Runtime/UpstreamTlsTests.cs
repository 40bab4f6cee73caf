using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Higress.Hosting.Tests.Runtime;

/// <summary>ServiceEntry <c>tls.mode: SIMPLE</c> originates TLS to a backend that speaks only HTTPS, and never downgrades.</summary>
public sealed class UpstreamTlsTests
{
    private static string ServiceEntry(int port, string tls) => $$$"""
        apiVersion: networking.higress.io/v1alpha1
        kind: ServiceEntry
        metadata: {name: secure}
        spec:
          hosts: [secure.internal]
          ports: [{number: {{{port}}}, protocol: HTTP}]
          endpoints: [{address: 127.0.0.1}]
          trafficPolicy: {tls: {{{tls}}} }
        ---
        apiVersion: networking.higress.io/v1alpha1
        kind: Route
        metadata: {name: r}
        spec:
          http:
          - route: [{destination: {host: secure.internal, port: {{{port}}} } }]
        """;

    [Fact]
    public async Task Simple_with_insecureSkipVerify_reaches_a_self_signed_https_backend()
    {
        await using var backend = await StartHttpsBackendAsync();
        await using var gateway = await LoopbackGateway.StartAsync(r => r.AddYaml(ServiceEntry(backend.Port, "{mode: SIMPLE, insecureSkipVerify: true}")));

        using var response = await gateway.Client.GetAsync(new Uri("/hello", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("https /hello", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Simple_verifies_the_certificate_so_a_self_signed_backend_fails_with_502()
    {
        await using var backend = await StartHttpsBackendAsync();
        await using var gateway = await LoopbackGateway.StartAsync(r => r.AddYaml(ServiceEntry(backend.Port, "{mode: SIMPLE}")));

        using var response = await gateway.Client.GetAsync(new Uri("/hello", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
    }

    [Fact]
    public async Task Mutual_is_refused_rather_than_sent_without_a_client_certificate()
    {
        await using var backend = await StartHttpsBackendAsync();
        await using var gateway = await LoopbackGateway.StartAsync(r => r.AddYaml(ServiceEntry(backend.Port, "{mode: MUTUAL, clientCertificate: /c.pem, privateKey: /k.pem}")));

        using var response = await gateway.Client.GetAsync(new Uri("/hello", UriKind.Relative));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(0, backend.Requests);
    }

    private static async Task<HttpsBackend> StartHttpsBackendAsync()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=secure.internal", key, HashAlgorithmName.SHA256);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        var certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);

        var port = LoopbackGateway.FreePort();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.UseHttps(certificate)));
        var app = builder.Build();
        var backend = new HttpsBackend(app, port, certificate);
        app.Run(context =>
        {
            Interlocked.Increment(ref backend.RequestCount);
            return context.Response.WriteAsync($"{context.Request.Scheme} {context.Request.Path}");
        });
        await app.StartAsync();
        return backend;
    }

    private sealed class HttpsBackend(WebApplication app, int port, X509Certificate2 certificate) : IAsyncDisposable
    {
        public int RequestCount;

        public int Port { get; } = port;

        public int Requests => Volatile.Read(ref RequestCount);

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
            certificate.Dispose();
        }
    }
}
