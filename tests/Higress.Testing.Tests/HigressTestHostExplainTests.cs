using System.Net;
using Microsoft.AspNetCore.Http;

namespace Higress.Testing.Tests;

public sealed class HigressTestHostExplainTests
{
    private const string Extra = """
        ---
        apiVersion: networking.higress.io/v1alpha1
        kind: Route
        metadata: {name: more}
        spec:
          http:
          - match: [{uri: {prefix: /ghost}}]
            route: [{destination: {host: ghost, port: 80}}]
          - match: [{uri: {prefix: /missing}}]
            route: [{destination: {host: nowhere, port: 80}}]
          - match: [{uri: {prefix: /maintenance}}]
            directResponse: {status: 503, body: {string: "down for maintenance"}}
        """;

    private static Task<HigressTestHost> StartAsync() => HigressTestHost.StartAsync(h => h
        .AddYaml(TestRoutes.Shop + "\n" + Extra)
        .Configure(r => r.AddService("ghost", 80, [$"{HigressTestHostBuilder.BackendHost("ghost", "default")}:80"]))
        .AddBackend("orders", 8080, c => c.Request.Path.StartsWithSegments("/v2/orders/none", StringComparison.Ordinal)
            ? Results.NotFound().ExecuteAsync(c)
            : TestRoutes.Echo(c, "orders")));

    [Fact]
    public async Task Explain_tells_the_rule_and_backend_of_the_served_plan()
    {
        await using var host = await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://shop.example.com/orders/7");

        var explanation = host.Explain(request);

        Assert.Equal("Route default/shop", explanation.Object);
        Assert.Equal("/v2/orders/7", explanation.UpstreamPath);
        Assert.Null(explanation.LocalStatus);
        Assert.Equal(["orders.default.backend.test:8080"], explanation.ChosenBackend?.Destinations.Select(d => new Uri(d).Authority));
    }

    [Fact]
    public async Task Explain_follows_plan_updates()
    {
        await using var host = await StartAsync();
        await host.UpdateAsync(r => r.AddYaml(TestRoutes.Shop.Replace("prefix: /orders", "prefix: /purchases", StringComparison.Ordinal)));
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://shop.example.com/orders/7");

        var explanation = host.Explain(request);

        Assert.Equal(404, explanation.LocalStatus);
        Assert.Equal("no route matched", explanation.Summary);
    }

    [Fact]
    public async Task EnsureRouted_returns_what_backends_and_rules_answered()
    {
        await using var host = await StartAsync();
        using var client = host.CreateClient();

        using var ok = await host.EnsureRoutedAsync(await client.GetAsync(new Uri("http://shop.example.com/orders/7")));
        using var backend404 = await host.EnsureRoutedAsync(await client.GetAsync(new Uri("http://shop.example.com/orders/none")));
        using var direct503 = await host.EnsureRoutedAsync(await client.GetAsync(new Uri("http://shop.example.com/maintenance")));

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, backend404.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, direct503.StatusCode);
    }

    [Fact]
    public async Task EnsureRouted_explains_a_404_of_the_gateway()
    {
        await using var host = await StartAsync();
        using var client = host.CreateClient();
        using var response = await client.GetAsync(new Uri("http://shop.example.com/nothing"));

        var error = await Assert.ThrowsAsync<GatewayRoutingException>(() => host.EnsureRoutedAsync(response));

        Assert.Contains("answered 404 itself to GET http://shop.example.com/nothing", error.Message, StringComparison.Ordinal);
        Assert.Contains("explanation: no route matched", error.Message, StringComparison.Ordinal);
        Assert.Equal(404, error.Explanation.LocalStatus);
    }

    [Fact]
    public async Task EnsureRouted_explains_a_500_for_a_missing_service()
    {
        await using var host = await StartAsync();
        using var client = host.CreateClient();
        using var response = await client.GetAsync(new Uri("http://shop.example.com/missing"));

        var error = await Assert.ThrowsAsync<GatewayRoutingException>(() => host.EnsureRoutedAsync(response));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("rule: Route default/more", error.Message, StringComparison.Ordinal);
        Assert.Contains("nowhere", error.Message, StringComparison.Ordinal);
        Assert.Contains("backend (invalid)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureRouted_explains_a_502_and_lists_the_in_memory_backends()
    {
        await using var host = await StartAsync();
        using var client = host.CreateClient();
        using var response = await client.GetAsync(new Uri("http://shop.example.com/ghost"));

        var error = await Assert.ThrowsAsync<GatewayRoutingException>(() => host.EnsureRoutedAsync(response));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains(
            "No in-memory backend listens on ghost.default.backend.test:80; declared: orders.default.backend.test:8080.",
            error.Message,
            StringComparison.Ordinal);
        Assert.Contains("rule: Route default/more", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureRouted_rejects_responses_from_other_clients()
    {
        await using var host = await StartAsync();
        using var response = new HttpResponseMessage(HttpStatusCode.NotFound) { RequestMessage = new HttpRequestMessage() };

        await Assert.ThrowsAsync<ArgumentException>(() => host.EnsureRoutedAsync(response));
    }
}
