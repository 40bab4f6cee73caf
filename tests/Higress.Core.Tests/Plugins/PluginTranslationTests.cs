using Higress.Core.Plan;
using Higress.Core.Plugins;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;
using Higress.Core.Translation;

namespace Higress.Core.Tests.Plugins;

/// <summary>The seam end to end through the translator: YAML objects in, plugin bindings on the plan's rules out.</summary>
public class PluginTranslationTests
{
    private const string Yaml = """
        apiVersion: networking.higress.io/v1alpha1
        kind: Gateway
        metadata: {name: gw, namespace: a}
        spec:
          listeners:
          - protocol: HTTP
            port: 80
            allowedRoutes: {namespaces: {from: All}}
        ---
        apiVersion: networking.higress.io/v1alpha1
        kind: Route
        metadata: {name: orders, namespace: a}
        spec:
          gateways: [a/gw]
          http:
          - route: [{destination: {host: orders, port: 80}}]
            plugins: [{name: custom-response, config: {status_code: 202}}]
        ---
        apiVersion: networking.higress.io/v1alpha1
        kind: Route
        metadata: {name: orders, namespace: b}
        spec:
          gateways: [a/gw]
          http:
          - route: [{destination: {host: orders, port: 80}}]
        ---
        apiVersion: networking.higress.io/v1alpha1
        kind: Extension
        metadata: {name: maintenance, namespace: a}
        spec:
          plugin: custom-response
          priority: 5
          config: {status_code: 503, body: "down for maintenance"}
        """;

    [Fact]
    public void An_Extension_in_namespace_a_binds_to_a_routes_only()
    {
        var parsed = ResourceParser.Parse(Yaml, new ResourceOrigin("test", null, 0, 0));
        Assert.False(parsed.HasErrors, string.Join("\n", parsed.Diagnostics));

        var result = Translator.Translate(new ResourceSnapshot(parsed.Resources), catalog: PluginCatalog.BuiltIn);

        var inA = Assert.Single(result.Plan.Routes, r => r.Source.Namespace == "a");
        Assert.Equal(
            ["Route a/orders#spec.http[0].plugins[0]", "Extension a/maintenance"],
            inA.Plugins.Select(p => p.InstanceId));
        Assert.All(inA.Plugins, p => Assert.NotNull(p.Config));
        var inB = Assert.Single(result.Plan.Routes, r => r.Source.Namespace == "b");
        Assert.Empty(inB.Plugins);
    }
}
