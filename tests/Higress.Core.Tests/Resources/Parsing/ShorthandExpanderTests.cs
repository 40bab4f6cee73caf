using System.Text.Json.Nodes;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;
using Higress.Core.Translation;

namespace Higress.Core.Tests.Resources.Parsing;

public class ShorthandExpanderTests
{
    private static ParseResult Expand(string backends, string? routes = null) =>
        ShorthandExpander.Expand(JsonNode.Parse(backends), routes is null ? null : JsonNode.Parse(routes), "Higress:", "appsettings");

    [Fact]
    public void A_backend_and_a_route_expand_into_a_service_slices_a_route_and_a_gateway()
    {
        var result = Expand(
            """{ "orders": { "Addresses": ["127.0.0.1:5001", "127.0.0.1:5002", "[::1]:5003", "orders.internal:80"] } }""",
            """{ "orders": { "Port": "8080", "Path": "/orders", "Backend": "ORDERS", "Hosts": ["api.test"], "Timeout": "10s" } }""");

        Assert.Empty(result.Diagnostics);
        Assert.Equal(
            ["Service default/orders", "EndpointSlice default/orders-5001", "EndpointSlice default/orders-5002", "EndpointSlice default/orders-5003-ipv6", "EndpointSlice default/orders-80-fqdn", "Route default/orders", "Gateway default/appsettings-8080"],
            result.Resources.Select(r => r.Display));
        Assert.All(result.Resources, r => Assert.StartsWith("Higress:", r.Origin.FilePath, StringComparison.Ordinal));
        Assert.Equal("Higress:Routes:orders#1", result.Resources.OfType<Route>().Single().Origin.Display);

        var plan = Translator.Translate(new ResourceSnapshot(result.Resources, result.Diagnostics)).Plan;
        var cluster = Assert.Single(plan.Clusters);
        Assert.Equal(["http://127.0.0.1:5001", "http://127.0.0.1:5002", "http://[::1]:5003", "http://orders.internal:80"], cluster.Destinations.Select(d => d.Address));
        var route = Assert.Single(plan.Routes);
        Assert.Equal(TimeSpan.FromSeconds(10), route.Timeout);
        Assert.Equal(8080, Assert.Single(plan.Listeners).Port);
    }

    [Fact]
    public void A_route_without_a_port_attaches_to_the_gateways_declared_elsewhere()
    {
        var result = Expand("""{ "a": { "Addresses": ["10.0.0.1:80"] } }""", """{ "a": { "Backend": "a" } }""");

        var route = Assert.Single(result.Resources.OfType<Route>());
        Assert.Empty(route.Spec.Gateways);
        Assert.Equal("/", route.Spec.Http[0].Match[0].Uri!.Prefix);
        Assert.Empty(result.Resources.OfType<HigressGateway>());
    }

    [Fact]
    public void Routes_on_one_port_share_one_gateway()
    {
        var result = Expand("""{ "a": { "Addresses": ["10.0.0.1:80"] } }""", """{ "x": { "Port": 80, "Backend": "a" }, "y": { "Port": 80, "Path": "/y", "Backend": "a" } }""");

        Assert.Single(result.Resources.OfType<HigressGateway>());
        Assert.Equal(2, result.Resources.OfType<Route>().Count());
    }

    [Fact]
    public void A_bad_address_names_the_key_and_index_and_drops_only_that_backend()
    {
        var result = Expand("""{ "orders": { "Addresses": ["127.0.0.1:5001", "x"] }, "users": { "Addresses": ["127.0.0.1:6001"] } }""");

        Assert.Equal(
            "Higress:Backends:orders: Addresses[1]: 'x' is not host:port; write an address such as 127.0.0.1:5001, [::1]:5001 or orders.internal:80",
            Assert.Single(result.Diagnostics).ToString());
        Assert.Equal("Higress:Backends:orders#1", result.Diagnostics[0].SourceFile);
        Assert.Equal(["users", "users-6001"], result.Resources.Select(r => r.Name));
    }

    [Theory]
    [InlineData("""{ "Port": 99999, "Backend": "a" }""", "Higress:Routes:r: Port: '99999' is not a port; write a number from 1 to 65535, e.g. 8080")]
    [InlineData("""{ "Backend": "b" }""", "Higress:Routes:r: Backend: 'b' is not a backend in Higress:Backends (declared: a); add it to Higress:Backends or fix the name")]
    [InlineData("""{ "Path": "/" }""", "Higress:Routes:r: Backend: 'Backend' is required; name an entry of Higress:Backends")]
    [InlineData("""{ "Backend": "a", "Path": "orders" }""", "Higress:Routes:r: Path: 'orders' is not a path; start the path prefix with '/', e.g. /orders")]
    [InlineData("""{ "Backend": "a", "Timeout": "soon" }""", "Higress:Routes:r: Timeout: 'soon' is not a duration; write a duration such as 10s or 500ms")]
    [InlineData("""{ "Backend": "a", "Pathh": "/x" }""", "Higress:Routes:r: Pathh: 'Pathh' is not a field here; did you mean 'Path'?")]
    public void Route_errors_name_the_key_the_field_and_the_fix(string route, string expected)
    {
        var result = Expand("""{ "a": { "Addresses": ["10.0.0.1:80"] } }""", $$"""{ "r": {{route}} }""");

        Assert.Equal(expected, Assert.Single(result.Diagnostics).ToString());
        Assert.Empty(result.Resources.OfType<Route>());
        Assert.Empty(result.Resources.OfType<HigressGateway>());
    }

    [Theory]
    [InlineData("""{ "Addresses": [] }""", "Higress:Backends:a: Addresses: 'Addresses' is required; list at least one, e.g. \"Addresses\": [\"127.0.0.1:5001\"]")]
    [InlineData("""{ "Addresses": ["10.0.0.1:80"], "Protocol": "ftp" }""", "Higress:Backends:a: Protocol: 'ftp' is not a backend protocol; use http, https or h2c")]
    [InlineData("""{ "Addresses": ["::1:80"] }""", "Higress:Backends:a: Addresses[0]: '::1:80' is not host:port; write an address such as 127.0.0.1:5001, [::1]:5001 or orders.internal:80")]
    [InlineData("\"10.0.0.1:80\"", "Higress:Backends:a: expected an object, got '10.0.0.1:80'; write the entry's fields as an object")]
    public void Backend_errors_name_the_key_the_field_and_the_fix(string backend, string expected)
    {
        var result = Expand($$"""{ "a": {{backend}} }""");

        Assert.Equal(expected, Assert.Single(result.Diagnostics).ToString());
        Assert.Empty(result.Resources);
    }

    [Fact]
    public void The_protocol_chooses_the_upstream_scheme()
    {
        var result = Expand("""{ "a": { "Addresses": ["127.0.0.1:443"], "Protocol": "https" } }""", """{ "a": { "Port": 80, "Backend": "a" } }""");

        var plan = Translator.Translate(new ResourceSnapshot(result.Resources, result.Diagnostics)).Plan;
        Assert.Equal("https://127.0.0.1:443", Assert.Single(Assert.Single(plan.Clusters).Destinations).Address);
    }
}
