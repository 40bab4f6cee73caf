using Higress.Core.Plan;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;
using Higress.Core.Translation;

namespace Higress.Core.Tests.Translation;

public sealed class StreamRouteTranslatorTests
{
    private const string Services = """
        apiVersion: v1
        kind: Service
        metadata: {name: db}
        spec: {ports: [{port: 5432}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec: {ports: [{port: 443}]}
        ---

        """;

    private const string NativeGateway = """
        apiVersion: networking.higress.io/v1alpha1
        kind: Gateway
        metadata: {name: edge}
        spec:
          listeners:
          - {protocol: HTTP, port: 80}
          - {protocol: TCP, port: 5432}
          - {protocol: TLS, port: 443, tls: {mode: Passthrough}}
        ---

        """;

    private const string ApiGateway = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          gatewayClassName: higress
          listeners:
          - {name: http, protocol: HTTP, port: 80}
          - {name: db, protocol: TCP, port: 5432}
          - {name: tls, protocol: TLS, port: 443, hostname: "*.example.com", tls: {mode: Passthrough}}
        ---

        """;

    [Fact]
    public void Tcp_and_tls_passthrough_listeners_are_opened_and_programmed()
    {
        var result = Translate(NativeGateway);

        Assert.Equal([ListenerProtocol.Http, ListenerProtocol.Tcp, ListenerProtocol.Tls], result.Plan.Listeners.Select(l => l.Protocol));
        var listeners = Status(result, "Gateway default/edge").Parents;
        Assert.All(listeners, l => Assert.Contains(l.Conditions, c => c is { Type: "Programmed", Status: true }));
        Assert.DoesNotContain(result.Diagnostics, d => d.Message.Contains("not served", StringComparison.Ordinal));
    }

    [Fact]
    public void A_tls_listener_that_would_terminate_is_not_opened_and_says_how_to_fix_it()
    {
        var result = Translate("""
            apiVersion: networking.higress.io/v1alpha1
            kind: Gateway
            metadata: {name: edge}
            spec:
              listeners: [{protocol: TLS, port: 443}]
            """);

        Assert.Empty(result.Plan.Listeners);
        var warning = Assert.Single(result.Diagnostics, d => d.FieldPath == "spec.listeners[0].tls.mode");
        Assert.Contains("Passthrough", warning.Fix!, StringComparison.Ordinal);
    }

    [Fact]
    public void A_native_route_with_only_tcp_and_tls_rules_needs_no_hosts_and_attaches_to_the_listeners_that_speak_them()
    {
        var result = Translate(Services + NativeGateway + """
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: r}
            spec:
              tcp:
              - match: [{port: 5432, sourceSubnet: 10.1.2.3/8}]
                route: [{destination: {host: db, port: 5432}, weight: 3}, {destination: {host: db, port: 5432}, weight: 1}]
              tls:
              - match: [{sniHosts: [a.example.com]}]
                route: [{destination: {host: web, port: 443}}]
            """);

        Assert.Empty(result.Plan.Routes);
        Assert.DoesNotContain(result.Diagnostics, d => d.IsError);
        var tcp = result.Plan.StreamRoutes.Single(r => r.Id == "Route/default/r/tcp/0");
        Assert.Equal(["higress/default/edge/tcp-5432"], tcp.Attachments.Select(a => a.ListenerId));
        Assert.Equal(new StreamMatch(5432, "10.0.0.0/8", EquatableArray<string>.Empty), Assert.Single(tcp.Matches));
        Assert.Equal([3, 1], tcp.Backends.Select(b => b.Weight));
        Assert.Equal(["default/db:5432", "default/db:5432"], tcp.Backends.Select(b => b.ClusterId));
        var tls = result.Plan.StreamRoutes.Single(r => r.Id == "Route/default/r/tls/0");
        Assert.Equal(["higress/default/edge/tls-443"], tls.Attachments.Select(a => a.ListenerId));
        Assert.Equal(["a.example.com"], Assert.Single(tls.Matches).SniHosts);
        Assert.Contains(Status(result, "Route default/r").Parents.SelectMany(p => p.Conditions), c => c is { Type: "Accepted", Status: true });
    }

    [Fact]
    public void Gateway_api_tcp_and_tls_routes_attach_to_their_listeners_with_status()
    {
        var result = Translate(Services + ApiGateway + """
            apiVersion: gateway.networking.k8s.io/v1alpha2
            kind: TCPRoute
            metadata: {name: db}
            spec:
              parentRefs: [{name: gw, sectionName: db}]
              rules: [{backendRefs: [{name: db, port: 5432}]}]
            ---
            apiVersion: gateway.networking.k8s.io/v1alpha2
            kind: TLSRoute
            metadata: {name: web}
            spec:
              parentRefs: [{name: gw}]
              hostnames: [a.example.com]
              rules: [{backendRefs: [{name: web, port: 443, weight: 2}]}]
            """);

        var tcp = result.Plan.StreamRoutes.Single(r => r.Id == "TCPRoute/default/db/rules/0");
        Assert.Equal(["gateway/default/gw/db"], tcp.Attachments.Select(a => a.ListenerId));
        var tls = result.Plan.StreamRoutes.Single(r => r.Id == "TLSRoute/default/web/rules/0");
        var attachment = Assert.Single(tls.Attachments);
        Assert.Equal(("gateway/default/gw/tls", "a.example.com"), (attachment.ListenerId, Assert.Single(attachment.Hostnames)));
        Assert.Equal(2, Assert.Single(tls.Backends).Weight);
        foreach (var route in new[] { "TCPRoute default/db", "TLSRoute default/web" })
        {
            var conditions = Status(result, route).Parents.SelectMany(p => p.Conditions).ToList();
            Assert.Contains(conditions, c => c is { Type: "Accepted", Status: true });
            Assert.Contains(conditions, c => c is { Type: "ResolvedRefs", Status: true });
        }
    }

    [Fact]
    public void A_tcp_route_cannot_attach_to_an_http_listener()
    {
        var result = Translate(Services + ApiGateway + """
            apiVersion: gateway.networking.k8s.io/v1alpha2
            kind: TCPRoute
            metadata: {name: db}
            spec:
              parentRefs: [{name: gw, sectionName: http}]
              rules: [{backendRefs: [{name: db, port: 5432}]}]
            """);

        Assert.Empty(Assert.Single(result.Plan.StreamRoutes).Attachments);
        Assert.Contains(Status(result, "TCPRoute default/db").Parents.SelectMany(p => p.Conditions), c => c is { Type: "Accepted", Status: false, Reason: "NotAllowedByListeners" });
    }

    [Fact]
    public void A_missing_backend_is_reported_on_the_field_with_resolved_refs_false()
    {
        var result = Translate(ApiGateway + """
            apiVersion: gateway.networking.k8s.io/v1alpha2
            kind: TCPRoute
            metadata: {name: db}
            spec:
              parentRefs: [{name: gw, sectionName: db}]
              rules: [{backendRefs: [{name: nowhere, port: 5432}]}]
            """);

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal(("TCPRoute default/db", "spec.rules[0].backendRefs[0]"), (error.Object, error.FieldPath));
        Assert.Contains(Status(result, "TCPRoute default/db").Parents.SelectMany(p => p.Conditions), c => c is { Type: "ResolvedRefs", Status: false });
        Assert.Null(Assert.Single(Assert.Single(result.Plan.StreamRoutes).Backends).ClusterId);
    }

    [Theory]
    [InlineData("tcp: [{match: [{sourceSubnet: 10.0.0.0/99}], route: [{destination: {host: db, port: 5432}}]}]", "spec.tcp[0].match[0].sourceSubnet", "10.0.0.0/8")]
    [InlineData("tcp: [{route: []}]", "spec.tcp[0].route", "add a route destination")]
    [InlineData("tcp: [{route: [{destination: {host: db, port: 5432}, weight: 0}]}]", "spec.tcp[0].route", "weight above 0")]
    [InlineData("tls: [{route: [{destination: {host: web, port: 443}}]}]", "spec.tls[0].match", "sniHosts")]
    public void Invalid_native_rules_name_the_field_and_the_fix(string rules, string field, string fix)
    {
        var result = Translate(Services + NativeGateway + $$"""
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: r}
            spec:
              {{rules}}
            """);

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal(("Route default/r", field), (error.Object, error.FieldPath));
        Assert.Contains(fix, error.Fix!, StringComparison.Ordinal);
    }

    [Fact]
    public void Rules_after_the_first_of_a_tcp_route_are_reported_as_never_chosen()
    {
        var result = Translate(Services + ApiGateway + """
            apiVersion: gateway.networking.k8s.io/v1alpha2
            kind: TCPRoute
            metadata: {name: db}
            spec:
              parentRefs: [{name: gw, sectionName: db}]
              rules: [{backendRefs: [{name: db, port: 5432}]}, {backendRefs: [{name: db, port: 5432}]}]
            """);

        Assert.Single(result.Plan.StreamRoutes);
        var warning = Assert.Single(result.Diagnostics, d => d.FieldPath == "spec.rules[1]");
        Assert.Contains("spec.rules[0]", warning.Fix!, StringComparison.Ordinal);
    }

    private static ObjectStatus Status(TranslationResult result, string display) => result.Statuses.Single(s => s.Object == display);

    private static TranslationResult Translate(string yaml)
    {
        var parsed = ResourceParser.Parse(yaml, new ResourceOrigin("test", "streams.yaml", 0, 0));
        Assert.DoesNotContain(parsed.Diagnostics, d => d.IsError);
        return Translator.Translate(new ResourceSnapshot(parsed.Resources, parsed.Diagnostics));
    }
}
