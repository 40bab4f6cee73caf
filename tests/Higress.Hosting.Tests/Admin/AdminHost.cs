using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Higress.Hosting.Tests.Admin;

/// <summary>A gateway on real Kestrel (127.0.0.1) serving YAML given in code, with a client for its admin port.</summary>
internal sealed class AdminHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AdminHost(WebApplication app, int adminPort)
    {
        _app = app;
        AdminPort = adminPort;
        Client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
    }

    public int AdminPort { get; }

    public HttpClient Client { get; }

    public static async Task<AdminHost> StartAsync(string yaml, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var adminPort = FreePort();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{FreePort().ToString(CultureInfo.InvariantCulture)}");
        var configuration = new Dictionary<string, string?>
        {
            ["Higress:Admin:Port"] = adminPort.ToString(CultureInfo.InvariantCulture),
            ["Higress:BindAddress"] = "127.0.0.1",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services.AddHigress(resources => resources.AddYaml(yaml));
        var app = builder.Build();
        app.MapHigress();
        await app.StartAsync();
        var host = new AdminHost(app, adminPort);
        await host.WaitReadyAsync();
        return host;
    }

    public static int FreePort() => TestPorts.Next();

    /// <summary>GET <paramref name="path"/> on the admin port with an optional Host and Authorization header.</summary>
    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path, string? host = null, string? authorization = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{AdminPort.ToString(CultureInfo.InvariantCulture)}{path}"));
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task WaitReadyAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var last = string.Empty;
        for (var attempt = 0; attempt < 600 && DateTime.UtcNow < deadline; attempt++)
        {
            var (status, body) = await GetAsync("/readyz");
            if (status == HttpStatusCode.OK)
            {
                return;
            }

            last = body;
            await Task.Delay(50);
        }

        throw new TimeoutException("admin host not ready: " + last);
    }
}
