using System.Net;
using Higress.Testing;
using Microsoft.AspNetCore.Http;

namespace Higress.Testing.Tests;

public sealed class HigressTestHostTests
{
    private const string Routes = """
        apiVersion: networking.higress.io/v1alpha1
        kind: Gateway
        metadata: {name: edge}
        spec:
          listeners: [{protocol: HTTP, port: 80, hostnames: ["*.example.com"]}]
        ---
        apiVersion: networking.higress.io/v1alpha1
        kind: Route
        metadata: {name: shop}
        spec:
          http:
          - match: [{uri: {prefix: /orders}}]
            rewrite: {uri: /v2/orders}
            headers: {request: {set: {x-gateway: higress}}, response: {add: {x-route: shop}}}
            route: [{destination: {host: orders, port: 8080}}]
          - match: [{uri: {exact: /old}}]
            redirect: {uri: /new, redirectCode: 308}
        """;

    private static Task Echo(HttpContext context, string name) =>
        context.Response.WriteAsync($"{name} {context.Request.Path} {context.Request.Host} {context.Request.Headers["x-gateway"]}");

    [Fact]
    public async Task Routes_rewrites_and_edits_headers_in_process()
    {
        await using var host = await HigressTestHost.StartAsync(h => h
            .AddYaml(Routes)
            .AddBackend("orders", 8080, c => Echo(c, "orders")));
        using var client = host.CreateClient();

        using var response = await client.GetAsync(new Uri("http://shop.example.com/orders/7"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("orders /v2/orders/7 shop.example.com higress", await response.Content.ReadAsStringAsync());
        Assert.Equal("shop", Assert.Single(response.Headers.GetValues("x-route")));
    }

    [Fact]
    public async Task Answers_redirects_404_and_listener_isolation_locally()
    {
        await using var host = await HigressTestHost.StartAsync(h => h
            .AddYaml(Routes)
            .AddBackend("orders", 8080, c => Echo(c, "orders")));
        using var client = host.CreateClient();

        using var redirect = await client.GetAsync(new Uri("http://shop.example.com/old?x=1"));
        using var missing = await client.GetAsync(new Uri("http://shop.example.com/nothing"));
        using var otherHost = await client.GetAsync(new Uri("http://example.org/orders/7"));

        Assert.Equal((HttpStatusCode)308, redirect.StatusCode);
        Assert.Equal("http://shop.example.com/new?x=1", redirect.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherHost.StatusCode);
    }

    [Fact]
    public async Task Update_swaps_the_plan_and_waits_for_it()
    {
        await using var host = await HigressTestHost.StartAsync(h => h
            .AddYaml(Routes)
            .AddBackend("orders", 8080, c => Echo(c, "orders")));
        using var client = host.CreateClient();

        await host.UpdateAsync(r => r.AddYaml(Routes.Replace("prefix: /orders", "prefix: /purchases", StringComparison.Ordinal)));

        using var moved = await client.GetAsync(new Uri("http://shop.example.com/purchases/1"));
        using var gone = await client.GetAsync(new Uri("http://shop.example.com/orders/1"));
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }
}
