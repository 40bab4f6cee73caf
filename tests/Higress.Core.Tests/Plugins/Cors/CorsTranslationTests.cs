using Higress.Core.Plan;
using Higress.Core.Plugins;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;
using Higress.Core.Translation;

namespace Higress.Core.Tests.Plugins.Cors;

/// <summary>corsPolicy, the HTTPRoute CORS filter and the cors Extension all become a cors binding on the rule.</summary>
public class CorsTranslationTests
{
    private const string Gateways = """
        apiVersion: networking.higress.io/v1alpha1
        kind: Gateway
        metadata: {name: gw}
        spec:
          listeners: [{protocol: HTTP, port: 80}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: kgw}
        spec:
          gatewayClassName: higress
          listeners: [{name: web, protocol: HTTP, port: 8080}]
        ---
        """;

    private static TranslationResult Translate(string yaml)
    {
        var parsed = ResourceParser.Parse(Gateways + "\n" + yaml, new ResourceOrigin("test", null, 0, 0));
        Assert.False(parsed.HasErrors, string.Join("\n", parsed.Diagnostics));
        return Translator.Translate(new ResourceSnapshot(parsed.Resources), catalog: PluginCatalog.BuiltIn);
    }

    [Fact]
    public void A_corsPolicy_is_a_cors_binding_named_after_the_field_and_no_longer_a_not_enforced_warning()
    {
        var result = Translate("""
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: r}
            spec:
              http:
              - route: [{destination: {host: svc, port: 80}}]
                corsPolicy:
                  allowOrigins: [{exact: "https://a.com"}, {prefix: "https://b."}, {regex: "https://c[0-9]\\.com"}, {exact: "*"}]
                  allowMethods: [GET]
                  maxAge: 1m30s
                  allowCredentials: true
            """);

        var binding = Assert.Single(Assert.Single(result.Plan.Routes).Plugins);
        Assert.Equal("cors", binding.Name);
        Assert.Equal("Route default/r#spec.http[0].corsPolicy", binding.InstanceId);
        Assert.NotNull(binding.Config);
        Assert.Contains("\"allow_origins\":[\"https://a.com\"]", binding.ConfigJson, StringComparison.Ordinal);
        Assert.Contains("\"allow_origin_patterns\":[\"*\"]", binding.ConfigJson, StringComparison.Ordinal);
        Assert.Contains("\"max_age\":90", binding.ConfigJson, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Diagnostics, d => d.FieldPath.Contains("corsPolicy", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Statuses.SelectMany(s => s.Conditions), c => c.Type == "Enforced");
    }

    [Fact]
    public void An_HTTPRoute_CORS_filter_is_a_cors_binding_with_the_Gateway_API_default_max_age()
    {
        var result = Translate("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: h}
            spec:
              parentRefs: [{name: kgw}]
              rules:
              - backendRefs: [{name: svc, port: 80}]
                filters:
                - type: CORS
                  cors:
                    allowOrigins: ["https://app.example", "https://*.example.org"]
                    allowCredentials: true
            """);

        var binding = Assert.Single(Assert.Single(result.Plan.Routes).Plugins);
        Assert.Equal("HTTPRoute default/h#spec.rules[0].filters[0].cors", binding.InstanceId);
        Assert.Contains("\"allow_origin_patterns\":[\"https://*.example.org\"]", binding.ConfigJson, StringComparison.Ordinal);
        Assert.Contains("\"max_age\":5", binding.ConfigJson, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Diagnostics, d => d.FieldPath.Contains("filters", StringComparison.Ordinal));
    }

    [Fact]
    public void A_policy_that_allows_no_origin_is_a_warning_and_binds_nothing()
    {
        var result = Translate("""
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: r}
            spec:
              http:
              - route: [{destination: {host: svc, port: 80}}]
                corsPolicy: {allowMethods: [GET]}
            """);

        Assert.Empty(Assert.Single(result.Plan.Routes).Plugins);
        Assert.Contains(result.Diagnostics, d => !d.IsError && d.FieldPath == "spec.http[0].corsPolicy.allowOrigins");
    }

    [Theory]
    [InlineData("{allow_origins: [\"not an origin\"]}", "allow_origins[0]")]
    [InlineData("{allow_origin_regex: [\"(\"]}", "allow_origin_regex[0]")]
    [InlineData("{allow_credential: true}", "allow_credential")]
    [InlineData("{max_age: \"long\"}", "max_age")]
    public void A_bad_cors_Extension_names_the_Extension_and_field_and_its_routes_fail_closed(string config, string field)
    {
        var result = Translate($$$"""
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: r}
            spec:
              http:
              - route: [{destination: {host: svc, port: 80}}]
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Extension
            metadata: {name: cors}
            spec:
              plugin: cors
              config: {{{config}}}
            """);

        Assert.Contains(result.Diagnostics, d => d.IsError && d.ToString().StartsWith($"Extension default/cors: spec.config.{field}: ", StringComparison.Ordinal));

        // Bound unparsed: the runtime keeps a last good config, or (never valid) fails the rule closed with 500.
        var binding = Assert.Single(Assert.Single(result.Plan.Routes).Plugins);
        Assert.Equal("Extension default/cors", binding.InstanceId);
        Assert.Null(binding.Config);
    }

    [Fact]
    public void A_bad_corsPolicy_regex_is_refused_when_the_Route_is_read()
    {
        var parsed = ResourceParser.Parse("""
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: r}
            spec:
              http:
              - route: [{destination: {host: svc, port: 80}}]
                corsPolicy: {allowOrigins: [{regex: "(unclosed"}]}
            """, new ResourceOrigin("test", null, 0, 0));

        Assert.Contains(parsed.Diagnostics, d => d.IsError && d.FieldPath == "spec.http[0].corsPolicy.allowOrigins[0].regex");
    }
}
