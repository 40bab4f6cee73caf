using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Higress.Hosting.Admin;
using Higress.Hosting.Tests.Resilience;

namespace Higress.Hosting.Tests.Admin;

/// <summary><c>/routes</c>, <c>/clusters</c> and <c>/stats</c>: their shapes, redaction, and the admin token.</summary>
public sealed class AdminApiTests
{
    private static string Gateway(int port) => string.Create(CultureInfo.InvariantCulture, $$$"""
        apiVersion: networking.higress.io/v1alpha1
        kind: Gateway
        metadata: {name: gw}
        spec:
          listeners: [{protocol: HTTP, port: {{{port}}}}]

        """) + "---\n";

    private static readonly string Routes = """
        apiVersion: networking.higress.io/v1alpha1
        kind: Route
        metadata: {name: first}
        spec:
          http:
          - name: keyed
            match: [{uri: {prefix: /a}, headers: {x-api-key: {exact: secret-header-value}}}]
            directResponse: {status: 200, body: {string: a}}
        ---
        apiVersion: networking.higress.io/v1alpha1
        kind: Route
        metadata: {name: second}
        spec:
          http:
          - match: [{uri: {exact: /a/b}}]
            directResponse: {status: 204}
        ---
        apiVersion: networking.higress.io/v1alpha1
        kind: Route
        metadata: {name: hosted}
        spec:
          hosts: [api.example.com]
          http:
          - directResponse: {status: 200, body: {string: api}}
        """;

    [Fact]
    public async Task Routes_lists_the_table_in_match_order_with_secret_values_redacted()
    {
        var port = AdminHost.FreePort();
        await using var gateway = await AdminHost.StartAsync(Gateway(port) + Routes);

        var (status, body) = await gateway.GetAsync("/routes");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain("secret-header-value", body, StringComparison.Ordinal);
        var routes = JsonNode.Parse(body)!["routes"]!.AsArray();
        Assert.Equal(
            [("api.example.com", "default/hosted"), ("*", "default/second"), ("*", "default/first")],
            routes.Select(r => ((string)r!["host"]!, (string)r["source"]!)).Select(t => (t.Item1, t.Item2[(t.Item2.IndexOf(' ', StringComparison.Ordinal) + 1)..])));
        Assert.Equal([0, 1, 2], routes.Select(r => (int)r!["order"]!));
        var keyed = routes[2]!;
        Assert.Equal(port, (int)keyed["port"]!);
        Assert.Equal("Gateway default/gw", (string?)keyed["gateway"]);
        Assert.Equal("keyed", (string?)keyed["ruleName"]);
        Assert.Equal("directResponse", (string?)keyed["action"]);
        Assert.Equal(200, (int)keyed["status"]!);
        Assert.Equal("/a", (string?)keyed["match"]!["path"]!["value"]);
        Assert.Equal(Redaction.Redacted, (string?)keyed["match"]!["headers"]![0]!["value"]);
        Assert.Equal("exact", ((string?)routes[1]!["match"]!["path"]!["kind"])?.ToLowerInvariant());
    }

    [Fact]
    public async Task Clusters_lists_destinations_with_health_ejection_and_requests_in_flight()
    {
        var backends = await StatusBackend.StartManyAsync(200, 500);
        try
        {
            var port = AdminHost.FreePort();
            var pool = Runtime.LoopbackGateway.Pool(backends.Select(b => b.Port), "loadBalancer: {simple: ROUND_ROBIN}, outlierDetection: {consecutive5xxErrors: 1, baseEjectionTime: 60s, maxEjectionPercent: 50}");
            await using var gateway = await AdminHost.StartAsync(Gateway(port) + pool);
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}") };
            for (var i = 0; i < 4; i++)
            {
                using var response = await client.GetAsync(new Uri("/", UriKind.Relative));
            }

            var (status, body) = await gateway.GetAsync("/clusters");

            Assert.Equal(HttpStatusCode.OK, status);
            var cluster = JsonNode.Parse(body)!["clusters"]!.AsArray().Single()!;
            Assert.True((bool)cluster["outlierDetection"]!);
            Assert.Equal(1, (int)cluster["ejected"]!);
            Assert.Equal(0, (int)cluster["activeRequests"]!);
            var destinations = cluster["destinations"]!.AsArray();
            Assert.Equal(2, destinations.Count);
            var bad = destinations.Single(d => ((string)d!["address"]!).EndsWith(":" + backends[1].Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal))!;
            var good = destinations.Single(d => !ReferenceEquals(d, bad))!;
            Assert.True((bool)bad["ejected"]!);
            Assert.True(DateTimeOffset.Parse((string)bad["ejectedUntil"]!, CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow);
            Assert.False((bool)bad["available"]!);
            Assert.Equal("Unhealthy", (string?)bad["passiveHealth"]);
            Assert.False((bool)good["ejected"]!);
            Assert.True((bool)good["available"]!);
            Assert.Equal(0, (int)good["activeRequests"]!);
            Assert.Equal("Unknown", (string?)good["activeHealth"]);
        }
        finally
        {
            foreach (var backend in backends)
            {
                await backend.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Stats_lists_the_metrics_as_json_counters_with_their_labels()
    {
        await using var gateway = await AdminHost.StartAsync(Routes);

        var (status, body) = await gateway.GetAsync("/stats");

        Assert.Equal(HttpStatusCode.OK, status);
        var stats = JsonNode.Parse(body)!["stats"]!.AsArray();
        var revision = stats.SingleOrDefault(s => (string?)s!["name"] == "higress_config_revision") ?? throw new InvalidOperationException(body);
        Assert.Equal("gauge", (string?)revision["type"]);
        Assert.Empty(revision["labels"]!.AsObject());

        // /metrics (and so /stats) hears only this host's meter, so the values are this host's: one plan, applied once.
        Assert.Equal(1, (double?)revision["value"]);
        var applies = stats.Single(s => (string?)s!["name"] == "higress_config_applies_total")!;
        Assert.Equal("counter", (string?)applies["type"]);
        Assert.Equal("applied", (string?)applies["labels"]!["result"]);
        Assert.Equal(1, (double?)applies["value"]);
        Assert.All(stats, s => Assert.StartsWith("higress_", (string?)s!["name"], StringComparison.Ordinal));
    }

    [Fact]
    public void Stats_labels_read_back_from_the_prometheus_form()
    {
        Assert.Equal([("route", "r/0"), ("reason", "a \"quoted\" \\ value\nline")], StatsJson.Labels("{route=\"r/0\",reason=\"a \\\"quoted\\\" \\\\ value\\nline\"}"));
        Assert.Empty(StatsJson.Labels(string.Empty));
    }

    [Theory]
    [InlineData("/routes")]
    [InlineData("/clusters")]
    [InlineData("/stats")]
    public async Task With_a_token_each_endpoint_needs_it(string path)
    {
        await using var gateway = await AdminHost.StartAsync(Routes, new Dictionary<string, string?> { ["Higress:Admin:Token"] = "s3cret-token" });

        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.GetAsync(path)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.GetAsync(path, authorization: "Bearer wrong")).Status);
        var (status, body) = await gateway.GetAsync(path, authorization: "Bearer s3cret-token");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotNull(JsonNode.Parse(body));
    }
}
