using Higress.Core.Explain;
using Higress.Core.Plan;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;
using Higress.Core.Tests.Explain;
using Higress.Core.Translation;

namespace Higress.Core.Tests.Translation;

public sealed class TranslatorTests
{
    private static TranslationResult Translate(string yaml)
    {
        var parsed = ResourceParser.Parse(yaml, new ResourceOrigin("test", "test.yaml", 0, 0));
        return Translator.Translate(new ResourceSnapshot(parsed.Resources, parsed.Diagnostics));
    }

    private static string HttpRoute(string name, string ns, string backend, string? backendNs = null, string parentNs = "infra") => $$"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: {{name}}, namespace: {{ns}}}
        spec:
          parentRefs: [{name: gw, namespace: {{parentNs}}}]
          rules:
          - backendRefs: [{name: {{backend}}, port: 80{{(backendNs is null ? string.Empty : ", namespace: " + backendNs)}}}]
        ---

        """;

    private const string Grant = """
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: ReferenceGrant
        metadata: {name: allow-web, namespace: backends}
        spec:
          from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: web}]
          to: [{group: "", kind: Service}]
        ---

        """;

    [Fact]
    public void A_backend_in_another_namespace_needs_a_reference_grant()
    {
        var without = Translate(Yaml.Gateway(ns: "infra", from: "All") + Yaml.Service("svc", ns: "backends") + HttpRoute("r", "web", "svc", "backends"));
        var with = Translate(Yaml.Gateway(ns: "infra", from: "All") + Yaml.Service("svc", ns: "backends") + Grant + HttpRoute("r", "web", "svc", "backends"));

        var denied = Assert.IsType<ForwardAction>(Assert.Single(without.Plan.Routes).Action);
        Assert.Null(Assert.Single(denied.Backends).ClusterId);
        var status = Assert.Single(without.Statuses, s => s.Object == "HTTPRoute web/r");
        Assert.Contains(status.Parents.SelectMany(p => p.Conditions), c => c is { Type: "ResolvedRefs", Status: false, Reason: "RefNotPermitted" });
        Assert.Contains(without.Diagnostics, d => d.IsError && d.Object == "HTTPRoute web/r" && d.FieldPath == "spec.rules[0].backendRefs[0]");

        var allowed = Assert.IsType<ForwardAction>(Assert.Single(with.Plan.Routes).Action);
        Assert.Equal("backends/svc:80", Assert.Single(allowed.Backends).ClusterId);
    }

    [Fact]
    public void Listeners_allow_only_their_own_namespace_by_default()
    {
        var result = Translate(Yaml.Gateway(ns: "infra") + Yaml.Service("svc", ns: "web") + HttpRoute("r", "web", "svc"));

        Assert.Empty(Assert.Single(result.Plan.Routes).Attachments);
        var status = Assert.Single(result.Statuses, s => s.Object == "HTTPRoute web/r");
        Assert.Contains(status.Parents.SelectMany(p => p.Conditions), c => c is { Type: "Accepted", Status: false, Reason: "NotAllowedByListeners" });
    }

    [Fact]
    public void Selector_namespaces_use_namespace_labels()
    {
        const string Namespaces = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: web, labels: {team: shop}}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: other}
            ---

            """;
        var gateway = Yaml.Gateway(ns: "infra", from: "Selector").Replace(
            "namespaces: {from: Selector }", "namespaces: {from: Selector, selector: {matchLabels: {team: shop}}}", StringComparison.Ordinal);
        var result = Translate(gateway + Namespaces + Yaml.Service("svc", ns: "web") + Yaml.Service("svc", ns: "other") + HttpRoute("r", "web", "svc") + HttpRoute("r", "other", "svc"));

        Assert.NotEmpty(Assert.Single(result.Plan.Routes, r => r.Source.Namespace == "web").Attachments);
        Assert.Empty(Assert.Single(result.Plan.Routes, r => r.Source.Namespace == "other").Attachments);
    }

    [Fact]
    public void Duplicate_listener_port_is_conflicted_and_the_older_gateway_keeps_it()
    {
        var older = Yaml.Gateway(name: "first").Replace("metadata: {name: first, namespace: default}", "metadata: {name: first, namespace: default, creationTimestamp: '2024-01-01T00:00:00Z'}", StringComparison.Ordinal);
        var newer = Yaml.Gateway(name: "second").Replace("metadata: {name: second, namespace: default}", "metadata: {name: second, namespace: default, creationTimestamp: '2024-06-01T00:00:00Z'}", StringComparison.Ordinal);

        var result = Translate(newer + older);

        var listener = Assert.Single(result.Plan.Listeners);
        Assert.Equal("first", listener.Gateway.Name);
        var status = Assert.Single(result.Statuses, s => s.Object == "Gateway default/second");
        Assert.Contains(status.Parents.SelectMany(p => p.Conditions), c => c is { Type: "Conflicted", Status: true });
        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal("spec.listeners[0].port", error.FieldPath);
        Assert.Contains("another port", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Gateways_of_other_classes_are_not_served()
    {
        var gateway = Yaml.Gateway().Replace("gatewayClassName: higress", "gatewayClassName: other", StringComparison.Ordinal);

        var result = Translate(gateway);

        Assert.Empty(result.Plan.Listeners);
    }

    [Fact]
    public void A_gateway_class_with_our_controller_name_is_served()
    {
        const string Class = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: GatewayClass
            metadata: {name: custom}
            spec: {controllerName: higress.io/gateway-controller}
            ---

            """;
        var gateway = Yaml.Gateway().Replace("gatewayClassName: higress", "gatewayClassName: custom", StringComparison.Ordinal);

        var result = Translate(Class + gateway);

        Assert.Single(result.Plan.Listeners);
    }

    [Fact]
    public void A_regex_that_does_not_compile_drops_its_route_and_the_rest_keeps_serving()
    {
        var routes = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: bad}
            spec:
              parentRefs: [{name: gw}]
              rules:
              - matches: [{path: {type: RegularExpression, value: "/(unclosed"}}]
                backendRefs: [{name: svc, port: 80}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: good}
            spec:
              parentRefs: [{name: gw}]
              rules:
              - matches: [{path: {type: PathPrefix, value: /good}}]
                backendRefs: [{name: svc, port: 80}]
            """;
        var parsed = ResourceParser.Parse(Yaml.Gateway() + Yaml.Service("svc") + routes, new ResourceOrigin("test", "routes.yaml", 0, 0));

        var explainer = new GatewayExplainer(new ResourceSnapshot(parsed.Resources, parsed.Diagnostics));

        Assert.Null(explainer.Explain(ExplainRequest.Get("http://x/good")).LocalStatus);
        var error = Assert.Single(explainer.Translation.Diagnostics, d => d.IsError);
        Assert.Equal("HTTPRoute default/bad", error.Object);
        Assert.Equal("spec.rules[0].matches[0].path.value", error.FieldPath);
        Assert.Contains("unclosed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Translation_is_pure_the_same_snapshot_gives_an_equal_plan()
    {
        var yaml = Yaml.Gateway() + Yaml.Service("svc") + HttpRoute("r", "default", "svc", parentNs: "default");
        var parsed = ResourceParser.Parse(yaml, new ResourceOrigin("test", "test.yaml", 0, 0));
        var snapshot = new ResourceSnapshot(parsed.Resources, parsed.Diagnostics);

        Assert.Equal(Translator.Translate(snapshot).Plan, Translator.Translate(snapshot).Plan);
    }
}
