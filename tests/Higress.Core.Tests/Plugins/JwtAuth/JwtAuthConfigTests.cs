using Higress.Core.Plugins;
using Higress.Core.Plugins.BuiltIn.JwtAuth;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;
using Higress.Core.Translation;
using Higress.Tests.Jwt;

namespace Higress.Core.Tests.Plugins.JwtAuth;

/// <summary>jwt-auth configs: Higress's shape, the seed's shape, and every bad config named by field with its fix.</summary>
public sealed class JwtAuthConfigTests
{
    private readonly JwtTestKeys _keys = JwtTestKeys.Shared;

    private static string Translate(string extensionSpec)
    {
        var yaml = $$$"""
            apiVersion: networking.higress.io/v1alpha1
            kind: Gateway
            metadata: {name: gw, namespace: a}
            spec:
              listeners:
              - protocol: HTTP
                port: 80
                routes:
                - name: r
                  route: [{destination: {host: svc, port: 80}}]
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Extension
            metadata: {name: jwt, namespace: a}
            spec:
            {{{extensionSpec}}}
            """;
        var parsed = ResourceParser.Parse(yaml, new ResourceOrigin("test", null, 0, 0));
        Assert.False(parsed.HasErrors, string.Join("\n", parsed.Diagnostics));
        var result = Translator.Translate(new ResourceSnapshot(parsed.Resources), catalog: PluginCatalog.BuiltIn);
        return string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && d.Object.StartsWith("Extension", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_seeds_Extension_is_valid_and_becomes_one_anonymous_issuer()
    {
        var errors = Translate("""
              type: authentication
              config:
                jwt:
                  issuer: "example.com"
                  jwks_uri: "https://example.com/.well-known/jwks.json"
            """);
        Assert.Equal(string.Empty, errors);

        var config = Parse("""{"issuer":"example.com","jwks_uri":"https://example.com/.well-known/jwks.json","audiences":["api"]}""", out var context);
        Assert.False(context.HasErrors);
        var consumer = Assert.Single(JwtAuthValidator.AllConsumers(config));
        Assert.Equal(string.Empty, consumer.Name);
        Assert.Equal(["api"], consumer.Audiences);
    }

    [Fact]
    public void With_spec_plugin_jwt_auth_the_jwt_wrapper_is_accepted_and_errors_name_its_fields()
    {
        Assert.Equal(string.Empty, Translate("""
              plugin: jwt-auth
              config:
                jwt: {issuer: example.com, jwks_uri: "https://example.com/jwks.json"}
            """));

        var errors = Translate("""
              plugin: jwt-auth
              config:
                jwt: {jwks_uri: "https://example.com/jwks.json"}
            """);
        Assert.Contains("Extension a/jwt: spec.config.jwt.issuer: is required with jwks_uri", errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"issuer":"example.com","jwks_uri":"https://e.com/k","audience":["x"]}""", "spec.config.jwt.audience", "did you mean 'audiences'")]
    [InlineData("""{"jwks_uri":"https://e.com/k"}""", "spec.config.jwt.issuer", "is required with jwks_uri")]
    [InlineData("""{"issuer":"example.com","jwks_uri":"ftp://e.com/k"}""", "spec.config.jwt.jwks_uri", "is not an absolute http or https URL")]
    [InlineData("""{"issuer":"example.com","jwks_uri":"/jwks.json"}""", "spec.config.jwt.jwks_uri", "is not an absolute http or https URL")]
    public void A_bad_seed_config_is_an_error_naming_the_Extension_the_field_and_the_fix(string jwt, string field, string message)
    {
        var errors = Translate("  type: authentication\n  config: {\"jwt\": " + jwt + "}");
        Assert.Contains($"Extension a/jwt: {field}: ", errors, StringComparison.Ordinal);
        Assert.Contains(message, errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_consumers_are_errors_naming_the_field_and_the_fix()
    {
        var jwks = System.Text.Json.JsonSerializer.Serialize(_keys.Jwks());
        var errors = Translate($$"""
              plugin: jwt-auth
              config:
                consumers:
                - {name: a, issuer: x, jwks: '{"keys": [}'}
                - {name: b, issuer: x, jwks: '{"keys": []}'}
                - {name: c, issuer: x}
                - {name: c, issuer: x, jwks_uri: "example.com/keys"}
                - {name: d, issuer: x, jwks: {{jwks}}, claims_to_headers: [{claim: sub, header: x-sub}, {claim: uid, header: X-Sub}]}
            """);
        Assert.True(errors.Contains("Extension a/jwt: spec.config.consumers[0].jwks: is not a JSON Web Key Set", StringComparison.Ordinal), errors);
        Assert.Contains("Extension a/jwt: spec.config.consumers[1].jwks: holds no usable signing key", errors, StringComparison.Ordinal);
        Assert.Contains("Extension a/jwt: spec.config.consumers[2].jwks: is required (or jwks_uri)", errors, StringComparison.Ordinal);
        Assert.Contains("Extension a/jwt: spec.config.consumers[3].name: 'c' names two consumers", errors, StringComparison.Ordinal);
        Assert.Contains("Extension a/jwt: spec.config.consumers[3].jwks_uri: 'example.com/keys' is not an absolute http or https URL", errors, StringComparison.Ordinal);
        Assert.Contains("Extension a/jwt: spec.config.consumers[4].claims_to_headers[1].header: 'X-Sub' is set by two claims", errors, StringComparison.Ordinal);

        // Binding errors (a missing required field, an unknown field) are reported before the checks across fields.
        var binding = Translate($$"""
              plugin: jwt-auth
              config:
                consumers:
                - {name: e, jwks: {{jwks}}, keep_tokens: false}
            """);
        Assert.Contains("Extension a/jwt: spec.config.consumers[0].issuer: 'issuer' is required", binding, StringComparison.Ordinal);
        Assert.Contains("Extension a/jwt: spec.config.consumers[0].keep_tokens: unknown field 'keep_tokens'; did you mean 'keep_token'?", binding, StringComparison.Ordinal);
    }

    [Fact]
    public void Higress_defaults_apply_per_consumer()
    {
        var config = Parse($$"""{"consumers":[{"name":"a","issuer":"x","jwks":{{System.Text.Json.JsonSerializer.Serialize(_keys.Jwks())}}}]}""", out var context);
        Assert.False(context.HasErrors, string.Join("\n", context.Errors));
        var consumer = config.Consumers[0];
        Assert.Equal(60, consumer.ClockSkewSeconds);
        Assert.True(consumer.KeepToken);
        Assert.Null(consumer.FromHeaders);
        Assert.True(config.Enforced);
    }

    private static JwtAuthConfig Parse(string json, out PluginConfigContext context)
    {
        Assert.True(PluginCatalog.BuiltIn.TryGet(JwtAuthPlugin.PluginName, out var plugin));
        context = new PluginConfigContext(JwtAuthPlugin.PluginName, "test");
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return (JwtAuthConfig)plugin.ParseConfig(document.RootElement.Clone(), context);
    }
}
