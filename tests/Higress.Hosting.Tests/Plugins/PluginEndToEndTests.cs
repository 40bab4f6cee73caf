using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
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

    [Fact]
    public async Task With_enable_on_status_a_proxied_response_is_replaced_and_others_pass_through()
    {
        var upstreamPort = FreePort();
        var upstreamBuilder = WebApplication.CreateBuilder();
        upstreamBuilder.WebHost.UseUrls($"http://127.0.0.1:{upstreamPort}");
        await using var upstream = upstreamBuilder.Build();
        upstream.MapGet("/ok", () => "upstream ok");
        upstream.MapGet("/limited", () => Results.Text("upstream says slow down", statusCode: 429));
        await upstream.StartAsync();

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
            metadata: {name: api}
            spec:
              http:
              - route: [{destination: {host: up, port: {{{upstreamPort}}}}}]
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Extension
            metadata: {name: limited-page}
            spec:
              plugin: custom-response
              config:
                enable_on_status: [429]
                status_code: 302
                headers: ["Location=https://example.com/busy"]
                body: "busy"
            """;
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{FreePort()}");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Higress:Admin:Port"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Higress:BindAddress"] = "127.0.0.1",
        });
        builder.Services.AddHigress(resources => resources.AddYaml(yaml).AddService("up", upstreamPort, ["127.0.0.1"]));
        await using var app = builder.Build();
        app.MapHigress();
        await app.StartAsync();

        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var ok = await SendAsync(client, "gateway.test", "/ok");
        using var limited = await SendAsync(client, "gateway.test", "/limited");

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("upstream ok", await ok.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, limited.StatusCode);
        Assert.Equal("https://example.com/busy", limited.Headers.Location?.ToString());
        Assert.Equal("busy", await limited.Content.ReadAsStringAsync());
        await app.StopAsync();
        await upstream.StopAsync();
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string host, string path = "/")
    {
        // The listener opens when the first plan is applied; retry briefly until it does.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.Host = host;
                return await client.SendAsync(request);
            }
            catch (HttpRequestException) when (attempt < 50)
            {
                await Task.Delay(100);
            }
        }
    }

    private static int FreePort() => TestPorts.Next();
}
