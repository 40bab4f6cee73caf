using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Higress.Hosting.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Higress.Hosting.Tests.Runtime;

/// <summary>
/// Sidecar mode on real Kestrel: an app behind the sidecar's inbound port, a second service <c>orders</c> (a Service
/// in <c>default</c>, port 80), and the sidecar whose outbound port the app uses as its HTTP proxy. All on loopback.
/// </summary>
internal sealed class SidecarMesh : IAsyncDisposable
{
    private readonly WebApplication _sidecar;

    private SidecarMesh(WebApplication sidecar, EchoService app, EchoService orders, int inbound, int outbound)
    {
        _sidecar = sidecar;
        App = app;
        Orders = orders;
        InboundPort = inbound;
        OutboundPort = outbound;
        Inbound = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{inbound}") };
        Outbound = new HttpClient(new SocketsHttpHandler { Proxy = new WebProxy($"http://127.0.0.1:{outbound}"), UseProxy = true });
    }

    public EchoService App { get; }

    public EchoService Orders { get; }

    public int InboundPort { get; }

    public int OutboundPort { get; }

    /// <summary>A client of the inbound port, as another pod would call the app.</summary>
    public HttpClient Inbound { get; }

    /// <summary>A client that uses the outbound port as its HTTP proxy, as the app does with <c>HTTP_PROXY</c>.</summary>
    public HttpClient Outbound { get; }

    /// <summary>Starts the app, <c>orders</c> and the sidecar; <paramref name="yaml"/> adds objects (Routes, Extensions...).</summary>
    public static async Task<SidecarMesh> StartAsync(string? yaml = null)
    {
        var (inbound, outbound) = (LoopbackGateway.FreePort(), LoopbackGateway.FreePort());
        var orders = await EchoService.StartAsync("orders");
        var app = await EchoService.StartAsync("app", outbound);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{LoopbackGateway.FreePort()}");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Higress:Admin:Port"] = LoopbackGateway.FreePort().ToString(CultureInfo.InvariantCulture),
            ["Higress:BindAddress"] = "127.0.0.1",
            ["Higress:Sidecar:Inbound:Port"] = inbound.ToString(CultureInfo.InvariantCulture),
            ["Higress:Sidecar:Inbound:App"] = $"http://127.0.0.1:{app.Port}",
            ["Higress:Sidecar:Outbound:Port"] = outbound.ToString(CultureInfo.InvariantCulture),
        });
        builder.Services.AddHigress(r =>
        {
            r.AddService("orders", 80, [$"127.0.0.1:{orders.Port}"]);
            if (yaml is not null)
            {
                r.AddYaml(yaml);
            }
        });
        var sidecar = builder.Build();
        sidecar.MapHigress();
        await sidecar.StartAsync();
        await WaitOpenAsync(inbound);
        await WaitOpenAsync(outbound);
        return new SidecarMesh(sidecar, app, orders, inbound, outbound);
    }

    public async ValueTask DisposeAsync()
    {
        Inbound.Dispose();
        Outbound.Dispose();
        await _sidecar.StopAsync();
        await _sidecar.DisposeAsync();
        await App.DisposeAsync();
        await Orders.DisposeAsync();
    }

    // The sidecar's ports open when the first plan is applied.
    private static async Task WaitOpenAsync(int port)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var socket = new TcpClient();
                await socket.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (attempt < 100)
            {
                await Task.Delay(50);
            }
        }
    }
}

/// <summary>
/// A real Kestrel service that answers <c>"{name} {method} {path}"</c> and echoes each <c>x-*</c> request header as
/// <c>echo-x-*</c>. <c>GET /call/{host}/{path}</c> instead calls <c>http://{host}/{path}</c> through the sidecar's
/// outbound port (as <c>HTTP_PROXY</c> makes HttpClient do) and answers with that call's status and body.
/// <c>/fail-once/{key}</c> answers 503 the first time and 200 after.
/// </summary>
internal sealed class EchoService : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient? _proxied;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _failedOnce = new(StringComparer.Ordinal);
    private int _requests;

    private EchoService(WebApplication app, string name, int port, int? proxyPort)
    {
        _app = app;
        Name = name;
        Port = port;
        _proxied = proxyPort is { } p ? new HttpClient(new SocketsHttpHandler { Proxy = new WebProxy($"http://127.0.0.1:{p}"), UseProxy = true }) : null;
    }

    public string Name { get; }

    public int Port { get; }

    /// <summary>How many requests arrived.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public static Task<EchoService> StartAsync(string name, int? proxyPort = null) =>
        LoopbackBackend.StartAsync((app, port) => new EchoService(app, name, port, proxyPort), s => s.HandleAsync);

    public async ValueTask DisposeAsync()
    {
        _proxied?.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var path = context.Request.Path.Value ?? "/";
        if (_proxied is not null && path.StartsWith("/call/", StringComparison.Ordinal))
        {
            using var response = await _proxied.GetAsync(new Uri("http://" + path["/call/".Length..]), context.RequestAborted);
            var body = await response.Content.ReadAsStringAsync(context.RequestAborted);
            await context.Response.WriteAsync($"{(int)response.StatusCode} {body}", context.RequestAborted);
            return;
        }

        // The first request of each /fail-once/{key} path answers 503, the next ones 200: a service a retry gets past.
        if (path.StartsWith("/fail-once/", StringComparison.Ordinal) && _failedOnce.TryAdd(path, 0))
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync($"{Name} failed once");
            return;
        }

        foreach (var (header, value) in context.Request.Headers.Where(h => h.Key.StartsWith("x-", StringComparison.OrdinalIgnoreCase)))
        {
            context.Response.Headers["echo-" + header] = value;
        }

        await context.Response.WriteAsync($"{Name} {context.Request.Method} {path}");
    }
}
