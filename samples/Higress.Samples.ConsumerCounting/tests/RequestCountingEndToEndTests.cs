using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Higress.Samples.ConsumerCounting.Tests;

/// <summary>The sample as a user would run it: AddPlugin&lt;T&gt;() plus an Extension, on a real Kestrel host.</summary>
public sealed class RequestCountingEndToEndTests
{
    [Fact]
    public async Task The_registered_plugin_counts_requests_per_consumer_through_the_gateway()
    {
        var port = FreePort();
        var yaml = $$$"""
            apiVersion: networking.higress.io/v1alpha1
            kind: Gateway
            metadata: {name: gw}
            spec:
              listeners: [{protocol: HTTP, port: {{{port}}}}]
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: hello}
            spec:
              http:
              - directResponse: {status: 200, body: {string: "hello"}}
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Extension
            metadata: {name: count-consumers}
            spec:
              plugin: consumer-request-counter
              config: {header: x-consumer}
            """;

        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{FreePort()}");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Higress:Admin:Port"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["Higress:BindAddress"] = "127.0.0.1",
        });
        builder.Services.AddHigress(resources => resources.AddYaml(yaml)).AddPlugin<RequestCountingPlugin>();
        await using var app = builder.Build();
        app.MapHigress();
        await app.StartAsync();

        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        string? count = null;
        foreach (var consumer in new[] { "alice", "bob", "alice" })
        {
            using var response = await SendAsync(client, consumer);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            count = response.Headers.GetValues(RequestCountingPlugin.CountHeader).Single();
        }

        Assert.Equal("2", count);
        var plugin = app.Services.GetRequiredService<RequestCountingPlugin>();
        Assert.Equal(2, plugin.GetCount("alice"));
        Assert.Equal(1, plugin.GetCount("bob"));
        await app.StopAsync();
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string consumer)
    {
        // The listener opens when the first plan is applied; retry briefly until it does.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/");
                request.Headers.Add("x-consumer", consumer);
                return await client.SendAsync(request);
            }
            catch (HttpRequestException) when (attempt < 50)
            {
                await Task.Delay(100);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
