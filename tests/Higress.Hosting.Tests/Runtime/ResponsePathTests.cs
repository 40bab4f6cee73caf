using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Higress.Hosting.Tests.Runtime;

/// <summary>
/// Every outcome passes the response path: a rule's response header edits and its response plugins run when the
/// backend answers, when forwarding fails (the gateway's own 502) and when the rule answers locally.
/// </summary>
public sealed class ResponsePathTests
{
    private static string Yaml(int port, string action) => $$$"""
        apiVersion: networking.higress.io/v1alpha1
        kind: Route
        metadata: {name: r}
        spec:
          http:
          - headers: {response: {set: {x-edited: "yes"} } }
            {{{action}}}
        ---
        apiVersion: networking.higress.io/v1alpha1
        kind: Extension
        metadata: {name: replace}
        spec:
          plugin: custom-response
          config: {enable_on_status: [200, 502, 503], status_code: 299, body: "replaced", headers: ["x-plugin=ran"]}
        """;

    [Fact]
    public async Task When_the_backend_answers()
    {
        await using var backend = await StartBackendAsync();
        await using var gateway = await LoopbackGateway.StartAsync(r => r
            .AddService("up", backend.Port(), ["127.0.0.1"])
            .AddYaml(Yaml(backend.Port(), $"route: [{{destination: {{host: up, port: {backend.Port()}}}}}]")));

        await AssertReplacedAsync(gateway);
    }

    [Fact]
    public async Task When_the_backend_port_is_closed()
    {
        var closed = LoopbackGateway.FreePort();
        await using var gateway = await LoopbackGateway.StartAsync(r => r
            .AddService("down", closed, ["127.0.0.1"])
            .AddYaml(Yaml(closed, $"route: [{{destination: {{host: down, port: {closed}}}}}]")));

        await AssertReplacedAsync(gateway);
    }

    [Fact]
    public async Task When_the_rule_answers_locally()
    {
        await using var gateway = await LoopbackGateway.StartAsync(r => r.AddYaml(Yaml(0, "directResponse: {status: 503, body: {string: local}}")));

        await AssertReplacedAsync(gateway);
    }

    [Fact]
    public async Task A_forwarding_failure_that_no_plugin_replaces_still_gets_the_rule_s_header_edits()
    {
        var closed = LoopbackGateway.FreePort();
        await using var gateway = await LoopbackGateway.StartAsync(r => r
            .AddService("down", closed, ["127.0.0.1"])
            .AddYaml($$$"""
                apiVersion: networking.higress.io/v1alpha1
                kind: Route
                metadata: {name: r}
                spec:
                  http:
                  - headers: {response: {set: {x-edited: "yes"} } }
                    route: [{destination: {host: down, port: {{{closed}}} } }]
                """));

        using var response = await gateway.Client.GetAsync(new Uri("/x", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("yes", Assert.Single(response.Headers.GetValues("x-edited")));
        Assert.StartsWith("502 Bad Gateway", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task AssertReplacedAsync(LoopbackGateway gateway)
    {
        using var response = await gateway.Client.GetAsync(new Uri("/x", UriKind.Relative));

        Assert.Equal(299, (int)response.StatusCode);
        Assert.Equal("replaced", await response.Content.ReadAsStringAsync());
        Assert.Equal("ran", Assert.Single(response.Headers.GetValues("x-plugin")));
    }

    private static async Task<WebApplication> StartBackendAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{LoopbackGateway.FreePort()}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(context => context.Response.WriteAsync("origin"));
        await app.StartAsync();
        return app;
    }
}

internal static class WebApplicationPort
{
    public static int Port(this WebApplication app) => new Uri(app.Urls.First()).Port;
}
