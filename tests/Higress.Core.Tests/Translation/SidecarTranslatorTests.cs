using Higress.Core.Plan;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;
using Higress.Core.Translation;

namespace Higress.Core.Tests.Translation;

/// <summary>Sidecar mode as listeners and rules of the plan: inbound copies of Route rules to the app, outbound rules per service.</summary>
public sealed class SidecarTranslatorTests
{
    private const string Services = """
        apiVersion: v1
        kind: Service
        metadata: {name: orders}
        spec: {ports: [{port: 80}, {port: 9090}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: stock, namespace: shop}
        spec: {ports: [{port: 8080}]}
        ---
        apiVersion: networking.higress.io/v1alpha1
        kind: ServiceEntry
        metadata: {name: pay}
        spec: {hosts: [pay.example.com], ports: [{number: 80, name: http}], resolution: DNS}
        ---

        """;

    private static readonly SidecarSettings Both = new() { InboundPort = 15006, InboundApp = "http://127.0.0.1:8080", OutboundPort = 15001 };

    private static TranslationResult Translate(string yaml, SidecarSettings? sidecar = null, int[]? reserved = null)
    {
        var parsed = ResourceParser.Parse(Services + yaml, new ResourceOrigin("test", "test.yaml", 0, 0));
        return Translator.Translate(new ResourceSnapshot(parsed.Resources, parsed.Diagnostics), new TranslatorOptions { Sidecar = sidecar ?? Both, ReservedPorts = reserved ?? [] });
    }

    private static string Route(string name, string hosts, string rule) => $$$"""
        apiVersion: networking.higress.io/v1alpha1
        kind: Route
        metadata: {name: {{{name}}}}
        spec:
          hosts: {{{hosts}}}
          http:
          - {{{rule}}}
        """;

    private static IEnumerable<RoutePlan> On(TranslationResult result, string listenerId) =>
        result.Plan.Routes.Where(r => r.Attachments.Any(a => a.ListenerId == listenerId));

    private static string? ClusterOf(RoutePlan rule) => Assert.Single(Assert.IsType<ForwardAction>(rule.Action).Backends).ClusterId;

    [Fact]
    public void Inbound_copies_each_route_rule_with_its_policies_to_the_app_behind_a_catch_all()
    {
        var result = Translate(Route("api", "[\"*\"]", "route: [{destination: {host: orders, port: 80}}]\n    timeout: 2s\n    match: [{uri: {prefix: /api}}]"));

        var listener = Assert.Single(result.Plan.Listeners, l => l.Id == SidecarTranslator.InboundListenerId);
        Assert.Equal(15006, listener.Port);
        Assert.Equal("http://127.0.0.1:8080", Assert.Single(Assert.Single(result.Plan.Clusters, c => c.Id == SidecarTranslator.AppClusterId).Destinations).Address);
        var inbound = On(result, SidecarTranslator.InboundListenerId).ToList();
        Assert.Equal(2, inbound.Count);
        Assert.All(inbound, r => Assert.Equal(SidecarTranslator.AppClusterId, ClusterOf(r)));
        var copy = Assert.Single(inbound, r => r.Id == "Route/default/api/http/0/inbound");
        Assert.Equal(TimeSpan.FromSeconds(2), copy.Timeout);
        Assert.True(Assert.Single(copy.Attachments).Hostnames.IsEmpty);
        Assert.Single(inbound, r => r.Matches.Single() == Higress.Core.Plan.RouteMatch.Any && r.Source.Kind.Kind == "Sidecar");
        Assert.DoesNotContain(result.Diagnostics, d => d.IsError);
    }

    [Fact]
    public void A_rule_without_destination_is_no_error_in_sidecar_mode_and_forwards_to_the_app_on_the_inbound_port()
    {
        var result = Translate(Route("guard", "[app.example.com]", "match: [{uri: {prefix: /admin}}]"));

        Assert.DoesNotContain(result.Diagnostics, d => d.IsError);
        var copy = Assert.Single(On(result, SidecarTranslator.InboundListenerId), r => r.Id.StartsWith("Route/", StringComparison.Ordinal));
        Assert.Equal(SidecarTranslator.AppClusterId, ClusterOf(copy));
        Assert.Equal(["app.example.com"], Assert.Single(copy.Attachments).Hostnames.ToArray());
    }

    [Fact]
    public void Outbound_has_a_rule_per_service_port_under_every_name_of_the_service()
    {
        var result = Translate(string.Empty);

        var listener = Assert.Single(result.Plan.Listeners, l => l.Id == SidecarTranslator.OutboundListenerId);
        Assert.Equal("127.0.0.1", listener.Address);
        var outbound = On(result, SidecarTranslator.OutboundListenerId).ToDictionary(r => r.Id);
        Assert.Equal(["Sidecar/outbound/orders.default.svc.cluster.local:80", "Sidecar/outbound/orders.default.svc.cluster.local:9090", "Sidecar/outbound/pay.example.com:80", "Sidecar/outbound/stock.shop.svc.cluster.local:8080"], outbound.Keys.Order(StringComparer.Ordinal));
        var orders80 = outbound["Sidecar/outbound/orders.default.svc.cluster.local:80"];
        Assert.Equal(["orders", "orders.default", "orders.default.svc", "orders.default.svc.cluster.local"], Assert.Single(orders80.Attachments).Hostnames.ToArray());
        var hosts = orders80.Matches.Select(m => Assert.Single(m.Headers).Value).ToList();
        Assert.Contains("orders:80", hosts);
        Assert.Contains("orders", hosts);
        Assert.DoesNotContain("orders", outbound["Sidecar/outbound/orders.default.svc.cluster.local:9090"].Matches.Select(m => Assert.Single(m.Headers).Value));
        Assert.Equal("default/orders:9090", ClusterOf(outbound["Sidecar/outbound/orders.default.svc.cluster.local:9090"]));

        // A Service in another namespace has no short name; its only port is its default.
        var stock = outbound["Sidecar/outbound/stock.shop.svc.cluster.local:8080"];
        Assert.DoesNotContain("stock", Assert.Single(stock.Attachments).Hostnames);
        Assert.Contains(stock.Matches, m => m.Headers.Single().Value == "stock.shop");
    }

    [Fact]
    public void A_route_naming_a_service_takes_all_its_names_on_the_outbound_port_from_the_synthesized_rules()
    {
        var result = Translate(Route("orders", "[orders]", "route: [{destination: {host: orders, port: 9090}}]"));

        var outbound = On(result, SidecarTranslator.OutboundListenerId).ToList();
        Assert.DoesNotContain(outbound, r => r.Id.StartsWith("Sidecar/outbound/orders.", StringComparison.Ordinal));
        var copy = Assert.Single(outbound, r => r.Id == "Route/default/orders/http/0/outbound");
        Assert.Equal(["orders", "orders.default", "orders.default.svc", "orders.default.svc.cluster.local"], Assert.Single(copy.Attachments).Hostnames.ToArray());
        Assert.Equal("default/orders:9090", ClusterOf(copy));
    }

    [Fact]
    public void Without_sidecar_settings_the_plan_has_no_sidecar_listener()
    {
        var parsed = ResourceParser.Parse(Services, new ResourceOrigin("test", "test.yaml", 0, 0));
        var result = Translator.Translate(new ResourceSnapshot(parsed.Resources, parsed.Diagnostics));

        Assert.Empty(result.Plan.Listeners);
        Assert.Empty(result.Plan.Routes);
    }

    [Fact]
    public void A_bad_app_address_or_a_taken_port_is_an_error_naming_the_setting_and_that_port_stays_closed()
    {
        var result = Translate(string.Empty, Both with { InboundApp = "127.0.0.1:8080" }, reserved: [15001]);

        Assert.Empty(result.Plan.Listeners);
        Assert.Contains(result.Diagnostics, d => d.IsError && d.Object == "Higress:Sidecar" && d.FieldPath == "Inbound:App" && d.Fix!.Contains("http://127.0.0.1:8080", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.IsError && d.Object == "Higress:Sidecar" && d.FieldPath == "Outbound:Port" && d.Message.Contains("admin", StringComparison.Ordinal));
    }
}
