using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Higress.Hosting.Tests.Plugins;

/// <summary>custom-response through a real Kestrel host: the Extension answers for its namespace's routes only.</summary>
public sealed class PluginEndToEndTests
{
    [Fact]
    public async Task An_Extension_answers_for_routes_in_its_namespace_and_not_for_others()
    {
        var port = FreePort();
        var yaml = $$$"""
            apiVersion: networking.higress.io/v1alpha1
            kind: Gateway
            metadata: {name: gw, namespace: a}
            spec:
              listeners:
              - protocol: HTTP
                port: {{{port}}}
                allowedRoutes: {namespaces: {from: All}}
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: shop, namespace: a}
            spec:
              gateways: [a/gw]
              hosts: [shop.test]
              http:
              - directResponse: {status: 200, body: {string: "shop origin"}}
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: blog, namespace: b}
            spec:
              gateways: [a/gw]
              hosts: [blog.test]
              http:
              - directResponse: {status: 200, body: {string: "blog origin"}}
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Extension
            metadata: {name: mock, namespace: a}
            spec:
              plugin: custom-response
              config:
                status_code: 418
                headers: ["x-mock=yes"]
                body: "mocked"
            """;

        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{FreePort()}");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Higress:Admin:Port"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Higress:BindAddress"] = "127.0.0.1",
        });
        builder.Services.AddHigress(resources => resources.AddYaml(yaml));
        await using var app = builder.Build();
        app.MapHigress();
        await app.StartAsync();

        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var shop = await SendAsync(client, "shop.test");
        var blog = await SendAsync(client, "blog.test");

        Assert.Equal((HttpStatusCode)418, shop.StatusCode);
        Assert.Equal("mocked", await shop.Content.ReadAsStringAsync());
        Assert.Equal("yes", shop.Headers.GetValues("x-mock").Single());
        Assert.Equal(HttpStatusCode.OK, blog.StatusCode);
        Assert.Equal("blog origin", await blog.Content.ReadAsStringAsync());
        await app.StopAsync();
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string host)
    {
        // The listener opens when the first plan is applied; retry briefly until it does.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/");
                request.Headers.Host = host;
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
