using System.Globalization;
using Higress.Hosting.Sources;

namespace Higress.Gateway;

/// <summary>
/// The embedded demo: three small in-process backends on loopback and a configuration (Demo/demo.yaml) that shows
/// routing, a rewrite and a 90/10 canary split, so that the gateway shows something with nothing else installed.
/// It runs only when no configuration is given (no ConfigDir, no Resources) and Higress:Demo is not false.
/// </summary>
internal sealed class DemoBackends : IAsyncDisposable
{
    private readonly List<WebApplication> _apps = [];
    private readonly Dictionary<string, int> _ports = [];

    public static bool IsWanted(IConfiguration higress)
    {
        if (bool.TryParse(higress["Demo"], out var demo))
        {
            return demo;
        }

        return string.IsNullOrWhiteSpace(higress["ConfigDir"]) && !higress.GetSection("Resources").GetChildren().Any()
            && !string.Equals(higress["Kubernetes:Enabled"], "true", StringComparison.OrdinalIgnoreCase);
    }

    public static async Task<DemoBackends> StartAsync()
    {
        var demo = new DemoBackends();
        foreach (var name in new[] { "catalog-v1", "catalog-v2", "orders" })
        {
            await demo.StartBackendAsync(name);
        }

        return demo;
    }

    public void Configure(ResourceBuilder resources)
    {
        resources.AddYaml(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Demo", "demo.yaml")));
        foreach (var (name, port) in _ports)
        {
            resources.AddService(name, 80, [$"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"], "demo");
        }
    }

    public void PrintWelcome(ILogger logger) =>
        logger.LogInformation(
            "Higress.Net demo on http://127.0.0.1:8080 — try: curl http://127.0.0.1:8080/orders/42 (routing), " +
            "curl http://127.0.0.1:8080/api/v1/orders/42 (rewrite to /orders/42), " +
            "curl http://127.0.0.1:8080/catalog (90/10 canary between catalog-v1 and catalog-v2), " +
            "curl -H 'x-api-key: demo-key' http://127.0.0.1:8080/admin (key-auth; 401 without the key), " +
            "curl http://127.0.0.1:15021/config_dump (the applied plan)");

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        _apps.Clear();
    }

    private async Task StartBackendAsync(string name)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(context =>
        {
            context.Response.Headers["x-demo-backend"] = name;
            return context.Response.WriteAsJsonAsync(new
            {
                backend = name,
                method = context.Request.Method,
                path = context.Request.Path.Value,
                query = context.Request.QueryString.Value,
                host = context.Request.Host.Value,
                consumer = context.Request.Headers["X-Mse-Consumer"].ToString() is { Length: > 0 } consumer ? consumer : null,
            });
        });
        await app.StartAsync();
        var address = app.Urls.First();
        _ports[name] = new Uri(address).Port;
        _apps.Add(app);
    }
}
