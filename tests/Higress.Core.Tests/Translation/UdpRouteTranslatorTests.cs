using Higress.Core.Plan;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;
using Higress.Core.Tests.Explain;
using Higress.Core.Translation;

namespace Higress.Core.Tests.Translation;

public sealed class UdpRouteTranslatorTests
{
    private const string UdpGateway = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: udp}
        spec:
          gatewayClassName: higress
          listeners: [{name: dns, protocol: UDP, port: 53}]
        ---

        """;

    private static string UdpRoute(string backendRefs, string name = "dns", string parent = "udp", string rules = "") => $$"""
        apiVersion: gateway.networking.k8s.io/v1alpha2
        kind: UDPRoute
        metadata: {name: {{name}}}
        spec:
          parentRefs: [{name: {{parent}}}]
          rules:
          - backendRefs: [{{backendRefs}}]{{rules}}
        ---

        """;

    private static TranslationResult Translate(string yaml)
    {
        var parsed = ResourceParser.Parse(yaml, new ResourceOrigin("test", "udp.yaml", 0, 0));
        return Translator.Translate(new ResourceSnapshot(parsed.Resources, parsed.Diagnostics));
    }

    [Fact]
    public void A_udp_route_serves_its_listener_with_weighted_backends_resolved_to_endpoints()
    {
        var result = Translate(UdpGateway + Yaml.Service("a", 53, address: "10.0.0.1", targetPort: 5353) + Yaml.Service("b", 53, address: "10.0.0.2", targetPort: 5353)
            + UdpRoute("{name: a, port: 53, weight: 3}, {name: b, port: 53, weight: 1}"));

        var listener = Assert.Single(result.Plan.Listeners);
        Assert.Equal(ListenerProtocol.Udp, listener.Protocol);
        var route = Assert.Single(result.Plan.UdpRoutes);
        Assert.Equal([listener.Id], route.Listeners);
        Assert.Equal([("default/a:53", 3, "http://10.0.0.1:5353"), ("default/b:53", 1, "http://10.0.0.2:5353")], route.Backends.Select(b => (b.Name, b.Weight, Assert.Single(b.Destinations).Address)));
        Assert.Empty(result.Plan.Clusters);
        Assert.DoesNotContain(result.Diagnostics, d => d.IsError);

        var status = Assert.Single(result.Statuses, s => s.Object == "UDPRoute default/dns");
        Assert.Contains(status.Parents.SelectMany(p => p.Conditions), c => c is { Type: "Accepted", Status: true });
        Assert.Contains(status.Parents.SelectMany(p => p.Conditions), c => c is { Type: "ResolvedRefs", Status: true });
        var gateway = Assert.Single(result.Statuses, s => s.Object == "Gateway default/udp");
        Assert.Contains(gateway.Parents.Single(p => p.Parent == "listener dns").Conditions, c => c is { Type: "Programmed", Status: true });
    }

    [Fact]
    public void A_native_gateway_udp_listener_takes_a_udp_route()
    {
        const string Native = """
            apiVersion: networking.higress.io/v1alpha1
            kind: Gateway
            metadata: {name: edge}
            spec:
              listeners: [{name: syslog, protocol: UDP, port: 514}]
            ---

            """;
        var result = Translate(Native + Yaml.Service("a", 514) + UdpRoute("{name: a, port: 514}").Replace("{name: udp}", "{group: networking.higress.io, kind: Gateway, name: edge}", StringComparison.Ordinal));

        var route = Assert.Single(result.Plan.UdpRoutes);
        Assert.Equal(["higress/default/edge/syslog"], route.Listeners);
    }

    [Fact]
    public void An_http_route_cannot_attach_to_a_udp_listener_nor_a_udp_route_to_an_http_listener()
    {
        var result = Translate(UdpGateway + Yaml.Gateway(from: "All") + Yaml.Service("a", 53) + UdpRoute("{name: a, port: 53}", parent: "gw") + """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: web}
            spec:
              parentRefs: [{name: udp}]
              rules: [{backendRefs: [{name: a, port: 53}]}]
            """);

        Assert.Empty(result.Plan.UdpRoutes);
        Assert.Empty(result.Plan.Routes.Single().Attachments);
        Assert.Contains(result.Statuses.Single(s => s.Object == "UDPRoute default/dns").Parents.SelectMany(p => p.Conditions), c => c is { Type: "Accepted", Status: false, Reason: "NotAllowedByListeners" });
        Assert.Contains(result.Statuses.Single(s => s.Object == "HTTPRoute default/web").Parents.SelectMany(p => p.Conditions), c => c is { Type: "Accepted", Status: false, Reason: "NotAllowedByListeners" });
    }

    [Fact]
    public void Udp_and_tcp_listeners_share_a_port_number_but_two_udp_listeners_conflict()
    {
        var result = Translate(UdpGateway + Yaml.Gateway(port: 53) + """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: second}
            spec:
              gatewayClassName: higress
              listeners: [{name: other, protocol: UDP, port: 53}]
            """);

        Assert.Equal([ListenerProtocol.Http, ListenerProtocol.Udp], result.Plan.Listeners.Select(l => l.Protocol).Order());
        var conflict = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal(("Gateway default/second", "spec.listeners[0].port"), (conflict.Object, conflict.FieldPath));
        Assert.Contains("UDP port 53 is already served by listener dns", conflict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_udp_route_on_a_listener_and_rules_after_the_first_are_reported_not_served()
    {
        var result = Translate(UdpGateway + Yaml.Service("a", 53) + Yaml.Service("b", 53)
            + UdpRoute("{name: a, port: 53}", rules: "\n  - backendRefs: [{name: b, port: 53}]")
            + UdpRoute("{name: b, port: 53}", name: "later"));

        var route = Assert.Single(result.Plan.UdpRoutes);
        Assert.Equal("default/a:53", Assert.Single(route.Backends).Name);
        Assert.Contains(result.Diagnostics, d => d is { Object: "UDPRoute default/dns", FieldPath: "spec.rules[1]" } && d.Fix!.Contains("rules[0]", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d is { Object: "UDPRoute default/later", FieldPath: "spec.parentRefs" } && d.Message.Contains("already forwards to UDPRoute default/dns", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{name: a}", "spec.rules[0].backendRefs[0]", "add the service port")]
    [InlineData("{name: missing, port: 53}", "spec.rules[0].backendRefs[0]", "create it or fix the reference")]
    [InlineData("{name: a, port: 53, filters: [{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x, value: y}]}}]}", "spec.rules[0].backendRefs[0].filters", "remove filters")]
    public void Invalid_backends_are_errors_that_name_the_field_and_the_fix(string backendRef, string field, string fix)
    {
        var result = Translate(UdpGateway + Yaml.Service("a", 53) + UdpRoute(backendRef));

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal(("UDPRoute default/dns", field), (error.Object, error.FieldPath));
        Assert.Contains(fix, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_rule_without_backends_is_refused_when_read()
    {
        var parsed = ResourceParser.Parse(UdpRoute(string.Empty), new ResourceOrigin("test", "udp.yaml", 0, 0));

        var error = Assert.Single(parsed.Diagnostics, d => d.IsError);
        Assert.Equal("spec.rules[0].backendRefs", error.FieldPath);
    }
}
