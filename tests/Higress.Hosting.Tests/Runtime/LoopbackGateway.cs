using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Higress.Hosting.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Higress.Hosting.Tests.Runtime;

/// <summary>
/// A gateway on real Kestrel: one HTTP listener on a free loopback port serving <c>resources</c>, with extra
/// <c>Higress:</c> settings, and a client for it that waits until the listener is open.
/// </summary>
internal sealed class LoopbackGateway : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackGateway(WebApplication app, int port)
    {
        _app = app;
        Port = port;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
    }

    public int Port { get; }

    public HttpClient Client { get; }

    /// <summary>The host's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a gateway whose single listener (Gateway <c>gw</c> in <c>default</c>) accepts routes from all namespaces.</summary>
    public static async Task<LoopbackGateway> StartAsync(
        Action<ResourceBuilder> resources, IDictionary<string, string?>? settings = null, Action<IHigressBuilder>? higress = null, int? listenerPort = null)
    {
        var port = listenerPort ?? FreePort();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{FreePort()}");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Higress:Admin:Port"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["Higress:BindAddress"] = "127.0.0.1",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        var registered = builder.Services.AddHigress(r =>
        {
            r.AddYaml($$$"""
                apiVersion: networking.higress.io/v1alpha1
                kind: Gateway
                metadata: {name: gw}
                spec:
                  listeners: [{protocol: HTTP, port: {{{port}}}, allowedRoutes: {namespaces: {from: All} } }]
                """);
            resources(r);
        });
        higress?.Invoke(registered);
        var app = builder.Build();
        app.MapHigress();
        await app.StartAsync();
        var gateway = new LoopbackGateway(app, port);
        await gateway.WaitOpenAsync();
        return gateway;
    }

    /// <summary>
    /// Starts a gateway that also has a Service <c>down</c> on a loopback port nothing listens on (forwarding to it
    /// fails with 502); <paramref name="yaml"/> is given that port and returns the routes.
    /// </summary>
    public static Task<LoopbackGateway> StartWithClosedServiceAsync(Func<int, string> yaml)
    {
        var closed = FreePort();
        return StartAsync(r => r.AddService("down", closed, ["127.0.0.1"]).AddYaml(yaml(closed)));
    }

    /// <summary>A Route <c>r</c> with one rule: <paramref name="rule"/> holds its fields, one per line, unindented.</summary>
    public static string Route(string rule) =>
        "apiVersion: networking.higress.io/v1alpha1\nkind: Route\nmetadata: {name: r}\nspec:\n  http:\n  - "
        + rule.ReplaceLineEndings("\n    ") + "\n";

    /// <summary>The rule fields that forward to <paramref name="service"/> on <paramref name="port"/>.</summary>
    public static string ForwardTo(string service, int port) =>
        string.Create(CultureInfo.InvariantCulture, $"route: [{{destination: {{host: {service}, port: {port}}}}}]");

    /// <summary>
    /// A ServiceEntry <c>pool.internal</c> (port 80) whose endpoints are 127.0.0.1 on <paramref name="ports"/>, with
    /// <paramref name="trafficPolicy"/> (the fields inside <c>{}</c>), and a Route to it.
    /// </summary>
    public static string Pool(IEnumerable<int> ports, string trafficPolicy) => $$$"""
        apiVersion: networking.higress.io/v1alpha1
        kind: ServiceEntry
        metadata: {name: pool}
        spec:
          hosts: [pool.internal]
          ports: [{number: 80, name: http}]
          endpoints: [{{{string.Join(", ", ports.Select(p => string.Create(CultureInfo.InvariantCulture, $"{{address: 127.0.0.1, ports: {{http: {p}}}}}")))}}}]
          trafficPolicy: { {{{trafficPolicy}}} }
        ---
        {{{Route(ForwardTo("pool.internal", 80))}}}
        """;

    public static int FreePort() => TestPorts.Next();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    // The listener opens when the first plan is applied.
    private async Task WaitOpenAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var socket = new TcpClient();
                await socket.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (attempt < 100)
            {
                await Task.Delay(50);
            }
        }
    }
}
