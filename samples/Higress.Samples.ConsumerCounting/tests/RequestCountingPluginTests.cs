using System.Text.Json;
using Higress.Core.Plan;
using Higress.Core.Plugins;
using Higress.Core.Resources;
using Higress.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Higress.Samples.ConsumerCounting.Tests;

public class RequestCountingPluginTests
{
    private static readonly RoutePlan Route = new(
        "Route/default/r/0", new ResourceKey(ResourceKinds.Route, "default", "r"), null, new RouteOrder(null, 0, 0), [], [], new DirectResponseAction(200, "ok"))
    {
        Plugins = [new PluginBinding("consumer-request-counter", "Extension default/count", PluginPhase.Stats, 0, FailStrategy.FailClose, "{\"header\":\"x-consumer\"}")],
    };

    [Fact]
    public async Task Counts_requests_per_consumer_and_reports_the_count_in_a_response_header()
    {
        await using var host = await HigressTestHost.StartAsync(h => h
            .AddYaml("""
                apiVersion: networking.higress.io/v1alpha1
                kind: Gateway
                metadata: {name: gw}
                spec:
                  listeners:
                  - protocol: HTTP
                    port: 80
                    routes:
                    - name: r
                      route: [{destination: {host: app, port: 8080}}]
                ---
                apiVersion: networking.higress.io/v1alpha1
                kind: Extension
                metadata: {name: count}
                spec:
                  plugin: consumer-request-counter
                  config: {header: x-consumer}
                """)
            .AddBackend("app", 8080, ctx => ctx.Response.WriteAsync("ok"))
            .AddPlugin<RequestCountingPlugin>());
        using var client = host.CreateClient();

        string? lastHeader = null;
        foreach (var consumer in new[] { "alice", "bob", "alice", "alice" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "http://gw.test/");
            request.Headers.Add("x-consumer", consumer);
            using var response = await host.EnsureRoutedAsync(await client.SendAsync(request));
            lastHeader = response.Headers.TryGetValues(RequestCountingPlugin.CountHeader, out var values) ? values.Single() : null;
        }

        var plugin = host.Services.GetRequiredService<RequestCountingPlugin>();
        Assert.Equal(3, plugin.GetCount("alice"));
        Assert.Equal(1, plugin.GetCount("bob"));
        Assert.Equal("3", lastHeader);
        Assert.Equal(2, plugin.Snapshot().Count);
    }

    [Fact]
    public async Task Prefers_the_consumer_an_auth_plugin_established_and_counts_others_as_anonymous()
    {
        var plugin = new RequestCountingPlugin();
        var config = plugin.ParseConfig(JsonDocument.Parse("{}").RootElement, new PluginConfigContext(plugin.Name, "test"));

        var authenticated = new PluginContext(new DefaultHttpContext(), Route) { Consumer = "carol" };
        authenticated.HttpContext.Request.Headers["x-consumer"] = "mallory";
        await plugin.OnRequestAsync(authenticated, config);
        await plugin.OnRequestAsync(new PluginContext(new DefaultHttpContext(), Route), config);

        Assert.Equal(1, plugin.GetCount("carol"));
        Assert.Equal(0, plugin.GetCount("mallory"));
        Assert.Equal(1, plugin.GetCount("anonymous"));
    }

    [Fact]
    public void Rejects_an_empty_header_name()
    {
        var plugin = new RequestCountingPlugin();
        var context = new PluginConfigContext(plugin.Name, "test");
        plugin.ParseConfig(JsonDocument.Parse("{\"header\":\"\"}").RootElement, context);
        Assert.Equal("header", Assert.Single(context.Errors).FieldPath);
    }
}
