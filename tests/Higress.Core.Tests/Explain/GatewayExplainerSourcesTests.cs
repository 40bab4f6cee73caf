using System.Text;
using Higress.Core.Explain;
using Microsoft.Extensions.Configuration;

namespace Higress.Core.Tests.Explain;

/// <summary>The explainer reads what the host's sources read: appsettings sections and ConfigDir files (YAML or JSON).</summary>
public sealed class GatewayExplainerSourcesTests
{
    private static IConfiguration Json(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    [Fact]
    public void FromConfiguration_explains_the_shorthand_and_full_resources()
    {
        var configuration = Json("""
            {
              "Higress": {
                "Backends": { "orders": { "Addresses": ["127.0.0.1:5001"] } },
                "Routes": { "orders": { "Port": 8080, "Path": "/orders", "Backend": "orders" } },
                "Resources": [
                  { "apiVersion": "networking.higress.io/v1alpha1", "kind": "Route", "metadata": { "name": "health" },
                    "spec": { "gateways": ["appsettings-8080"], "http": [ { "match": [ { "uri": { "exact": "/health" } } ],
                      "directResponse": { "status": 200, "body": { "string": "ok" } } } ] } }
                ]
              }
            }
            """);

        var explainer = GatewayExplainer.FromConfiguration(configuration.GetSection("Higress"));

        var orders = explainer.Explain(ExplainRequest.Get("http://gw.test:8080/orders/7"));
        Assert.Null(orders.LocalStatus);
        Assert.Equal("Route default/orders", orders.Object);
        Assert.Equal("http://127.0.0.1:5001", orders.ChosenDestination);
        Assert.Equal(200, explainer.Explain(ExplainRequest.Get("http://gw.test:8080/health")).LocalStatus);
        Assert.Equal(404, explainer.Explain(ExplainRequest.Get("http://gw.test:8080/other")).LocalStatus);
    }

    [Fact]
    public void FromConfiguration_lists_the_errors_with_their_keys()
    {
        var configuration = Json("""{ "Higress": { "Backends": { "orders": { "Addresses": ["127.0.0.1:5001", "nope"] } } } }""");

        var error = Assert.Throws<ArgumentException>(() => GatewayExplainer.FromConfiguration(configuration.GetSection("Higress")));

        Assert.Contains("Higress:Backends:orders: Addresses[1]: 'nope' is not host:port", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[ {{GW}}, {{ROUTE}} ]""")]
    [InlineData("""{ "apiVersion": "v1", "kind": "List", "items": [ {{GW}}, {{ROUTE}} ] }""")]
    public void FromYaml_accepts_the_JSON_a_ConfigDir_file_may_hold(string template)
    {
        const string gateway = """{ "apiVersion": "networking.higress.io/v1alpha1", "kind": "Gateway", "metadata": { "name": "gw" }, "spec": { "listeners": [ { "protocol": "HTTP", "port": 80 } ] } }""";
        const string route = """{ "apiVersion": "networking.higress.io/v1alpha1", "kind": "Route", "metadata": { "name": "r" }, "spec": { "http": [ { "directResponse": { "status": 204 } } ] } }""";
        var json = template.Replace("{{GW}}", gateway, StringComparison.Ordinal).Replace("{{ROUTE}}", route, StringComparison.Ordinal);

        var explainer = GatewayExplainer.FromYaml(json);

        Assert.Equal(204, explainer.Explain(ExplainRequest.Get("http://any.test/x")).LocalStatus);
    }
}
