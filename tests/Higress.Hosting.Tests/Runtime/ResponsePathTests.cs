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
    private const string HeaderEdit = "headers: {response: {set: {x-edited: \"yes\"} } }";

    private const string ReplacingPlugin = """
        ---
        apiVersion: networking.higress.io/v1alpha1
        kind: Extension
        metadata: {name: replace}
        spec:
          plugin: custom-response
          config: {enable_on_status: [200, 502, 503], status_code: 299, body: "replaced", headers: ["x-plugin=ran"]}
        """;

    private static string Yaml(string action) => LoopbackGateway.Route(HeaderEdit + "\n" + action) + ReplacingPlugin;

    [Fact]
    public async Task When_the_backend_answers()
    {
        await using var backend = await StartBackendAsync();
        await using var gateway = await LoopbackGateway.StartAsync(r => r
            .AddService("up", backend.Port(), ["127.0.0.1"])
            .AddYaml(Yaml(LoopbackGateway.ForwardTo("up", backend.Port()))));

        await AssertReplacedAsync(gateway);
    }

    [Fact]
    public async Task When_the_backend_port_is_closed()
    {
        await using var gateway = await LoopbackGateway.StartWithClosedServiceAsync(port => Yaml(LoopbackGateway.ForwardTo("down", port)));

        await AssertReplacedAsync(gateway);
    }

    [Fact]
    public async Task When_the_rule_answers_locally()
    {
        await using var gateway = await LoopbackGateway.StartAsync(r => r.AddYaml(Yaml("directResponse: {status: 503, body: {string: local} }")));

        await AssertReplacedAsync(gateway);
    }

    [Fact]
    public async Task A_forwarding_failure_that_no_plugin_replaces_still_gets_the_rule_s_header_edits()
    {
        await using var gateway = await LoopbackGateway.StartWithClosedServiceAsync(port => LoopbackGateway.Route(HeaderEdit + "\n" + LoopbackGateway.ForwardTo("down", port)));

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
