using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Higress.Hosting.Tests.Sources;

/// <summary>A small host configured only by the appsettings shorthand, in front of a real Kestrel backend.</summary>
public sealed class ShorthandEndToEndTests
{
    [Fact]
    public async Task A_fifteen_line_appsettings_serves_reloads_and_keeps_serving_through_errors()
    {
        await using var backend = await StartBackendAsync();
        var backendPort = new Uri(backend.Urls.Single()).Port;
        var port = FreePort();
        using var dir = new TempDirectory();
        var settings = Settings(port, "/orders", $"\"127.0.0.1:{backendPort}\"");
        Assert.Equal(15, settings.Split('\n').Length);
        var file = dir.Write("appsettings.json", settings);

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = dir.Path });
        builder.WebHost.UseUrls($"http://127.0.0.1:{FreePort()}");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Higress:Admin:Port"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["Higress:BindAddress"] = "127.0.0.1",
        });
        builder.Services.AddHigress(builder.Configuration.GetSection("Higress"));
        await using var app = builder.Build();
        app.MapHigress();
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        Assert.Equal("backend saw /orders/7", await client.GetStringAsync(new Uri("/orders/7", UriKind.Relative)));

        // A bad address is reported and the last good backend keeps serving.
        File.WriteAllText(file, Settings(port, "/orders", $"\"127.0.0.1:{backendPort}\", \"not an address\""));
        var runtime = app.Services.GetRequiredService<Higress.Hosting.Runtime.HigressRuntime>();
        await Wait.UntilAsync(() => runtime.LastSnapshot?.Diagnostics.Any(d => d.ToString().Contains("Addresses[1]: 'not an address' is not host:port", StringComparison.Ordinal)) == true);
        Assert.Equal("backend saw /orders/8", await client.GetStringAsync(new Uri("/orders/8", UriKind.Relative)));

        File.WriteAllText(file, Settings(port, "/shop", $"\"127.0.0.1:{backendPort}\""));
        await Wait.UntilAsync(() => StatusOf(client, "/orders/9") == HttpStatusCode.NotFound);
        Assert.Equal("backend saw /shop", await client.GetStringAsync(new Uri("/shop", UriKind.Relative)));
        await app.StopAsync();
    }

    private static string Settings(int port, string path, string addresses) => $$"""
        {
          "Higress": {
            "Backends": {
              "orders": {
                "Addresses": [{{addresses}}]
              }
            },
            "Routes": {
              "orders": {
                "Port": {{port}}, "Path": "{{path}}",
                "Backend": "orders"
              }
            }
          }
        }
        """;

    private static HttpStatusCode StatusOf(HttpClient client, string path)
    {
        using var response = client.GetAsync(new Uri(path, UriKind.Relative)).GetAwaiter().GetResult();
        return response.StatusCode;
    }

    private static async Task<WebApplication> StartBackendAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(context => context.Response.WriteAsync("backend saw " + context.Request.Path));
        await app.StartAsync();
        return app;
    }

    private static int FreePort() => TestPorts.Next();
}
