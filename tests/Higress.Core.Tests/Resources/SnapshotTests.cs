using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;
using Higress.Core.Resources.Sources;

namespace Higress.Core.Tests.Resources;

public class SnapshotTests
{
    private static SourceContent Content(string yaml, string source = "dir", string file = "a.yaml")
    {
        var result = ResourceParser.Parse(yaml, new ResourceOrigin(source, file, 0, 0));
        return new SourceContent([.. result.Resources], [.. result.Diagnostics]);
    }

    private const string TwoServices = """
        apiVersion: v1
        kind: Service
        metadata: {name: b, namespace: shop}
        spec: {ports: [{port: 80}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: a, namespace: shop}
        spec: {ports: [{port: 80}]}
        """;

    [Fact]
    public void Lookups_by_type_namespace_and_name()
    {
        var snapshot = SnapshotBuilder.Build([("dir", Content(TwoServices + "\n---\n" + ResourceParserTests.SeedExample))]);

        Assert.Equal(1, snapshot.Generation);
        Assert.Equal(4, snapshot.Count);
        Assert.NotNull(snapshot.Get<Service>("shop", "a"));
        Assert.Null(snapshot.Get<Service>("default", "a"));
        Assert.Null(snapshot.Get<Route>("shop", "a"));
        Assert.Equal(["a", "b"], snapshot.OfType<Service>().Select(s => s.Name));
        Assert.Equal(["a", "b"], snapshot.OfType<Service>("shop").Select(s => s.Name));
        Assert.Empty(snapshot.OfType<Service>("other"));
        Assert.IsType<HigressGateway>(snapshot.Get(new ResourceKey(ResourceKinds.HigressGateway, "default", "example-gateway")));
        Assert.Single(snapshot.OfKind(ResourceKinds.Extension));
    }

    [Fact]
    public void Cluster_scoped_lookup_ignores_namespace()
    {
        var snapshot = new ResourceSnapshot([new GatewayClass { Metadata = new() { Name = "higress" }, Spec = new() { ControllerName = "x" } }]);

        Assert.NotNull(snapshot.Get<GatewayClass>("anything", "higress"));
        Assert.Equal(new ResourceKey(ResourceKinds.GatewayClass, string.Empty, "higress"), snapshot.Resources[0].Key);
    }

    [Fact]
    public void Duplicates_keep_the_first_source_and_warn()
    {
        var first = Content(TwoServices, "code", "code.yaml");
        var second = Content(TwoServices, "dir", "dir.yaml");

        var snapshot = SnapshotBuilder.Build([("code", first), ("dir", second)]);

        Assert.Equal(2, snapshot.Count);
        Assert.All(snapshot.Resources, r => Assert.Equal("code", r.Origin.SourceName));
        Assert.Equal(2, snapshot.Diagnostics.Count);
        Assert.All(snapshot.Diagnostics, d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
        Assert.Contains("duplicate of the object from code.yaml#", snapshot.Diagnostics[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Http_route_v1_and_v1beta1_are_one_key()
    {
        const string Route = """
            apiVersion: gateway.networking.k8s.io/VERSION
            kind: HTTPRoute
            metadata: {name: r}
            spec: {rules: [{backendRefs: [{name: a, port: 80}]}]}
            """;
        var snapshot = SnapshotBuilder.Build([("dir", Content(Route.Replace("VERSION", "v1", StringComparison.Ordinal) + "\n---\n" + Route.Replace("VERSION", "v1beta1", StringComparison.Ordinal)))]);

        Assert.Equal(1, snapshot.Count);
        Assert.Single(snapshot.Diagnostics);
    }

    [Fact]
    public void Reloaded_objects_keep_their_read_order_and_generation_grows()
    {
        var before = SnapshotBuilder.Build([("dir", Content(TwoServices))]);
        var after = SnapshotBuilder.Build([("dir", Content(TwoServices))], before);

        Assert.Equal(2, after.Generation);
        Assert.Equal(before.Get<Service>("shop", "a")!.Origin.ReadOrder, after.Get<Service>("shop", "a")!.Origin.ReadOrder);
        Assert.True(after.ContentEquals(before));
        Assert.Equal(2, before.Count);
    }

    [Fact]
    public void Parse_diagnostics_travel_with_the_snapshot()
    {
        var snapshot = SnapshotBuilder.Build([("dir", Content("apiVersion: v1\nkind: PodTemplate\nmetadata: {name: x}\n"))]);

        Assert.Equal(0, snapshot.Count);
        Assert.Single(snapshot.Diagnostics);
    }

    [Fact]
    public void Equatable_json_ignores_property_order()
    {
        var a = EquatableJson.Parse("""{"a": 1, "b": [1, {"c": "d"}]}""");
        var b = EquatableJson.Parse("""{"b": [1, {"c": "d"}], "a": 1}""");
        var c = EquatableJson.Parse("""{"b": [{"c": "d"}, 1], "a": 1}""");

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Equatable_map_ignores_order_but_not_values()
    {
        EquatableMap<string> a = new Dictionary<string, string> { ["x"] = "1", ["y"] = "2" };
        EquatableMap<string> b = new Dictionary<string, string> { ["y"] = "2", ["x"] = "1" };
        EquatableMap<string> c = new Dictionary<string, string> { ["y"] = "2", ["x"] = "3" };

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
        Assert.Equal(default(EquatableMap<string>), new EquatableMap<string>([]));
    }

    [Fact]
    public void Validator_checks_objects_built_in_code()
    {
        var route = new Route
        {
            Metadata = new() { Name = "r", Namespace = "shop" },
            Spec = new()
            {
                Http = [new RouteRule { Match = [new RouteMatch { Uri = StringMatch.ForRegex("(") }], Route = [new RouteDestination { Destination = new() { Host = "a", Port = 0 } }] }],
            },
        };

        var messages = ResourceValidator.Validate(route).Select(d => d.ToString()).ToArray();

        Assert.Equal(
            [
                "Route shop/r: spec.http[0].match[0].uri.regex: '(' is unclosed; fix the regular expression '('",
                "Route shop/r: spec.http[0].route[0].destination.port: 0 is not a valid port; use a port between 1 and 65535",
            ],
            messages);
        Assert.Empty(ResourceValidator.Validate(ResourceParserTests.Parse(ResourceParserTests.SeedExample).Resources[0]));
    }
}
