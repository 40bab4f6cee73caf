using Higress.Core.Plugins;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;
using Higress.Core.Translation;

namespace Higress.Core.Tests.Plugins;

/// <summary>
/// Bad authentication configs through the translator: each is an error naming the Extension, the field and the fix,
/// and the instance is bound unparsed (the runtime then fails the route closed, or keeps its last good config).
/// </summary>
public class AuthConfigTranslationTests
{
    private const string World = """
        apiVersion: networking.higress.io/v1alpha1
        kind: Gateway
        metadata: {name: gw, namespace: a}
        spec:
          listeners: [{protocol: HTTP, port: 80}]
        ---
        apiVersion: networking.higress.io/v1alpha1
        kind: Route
        metadata: {name: orders, namespace: a}
        spec:
          gateways: [a/gw]
          http:
          - route: [{destination: {host: orders, port: 80}}]
        ---
        apiVersion: networking.higress.io/v1alpha1
        kind: Extension
        metadata: {name: auth, namespace: a}
        spec:
          plugin: PLUGIN
          config: CONFIG
        """;

    [Theory]
    [InlineData("key-auth", """{global_auth: true, keys: [x-api-key], consumers: [{name: c, credential: k}], alow: [c]}""", "spec.config.alow: ")]
    [InlineData("key-auth", """{global_auth: "sometimes", keys: [x-api-key], consumers: [{name: c, credential: k}]}""", "spec.config.global_auth: ")]
    [InlineData("key-auth", """{global_auth: true, keys: [x-api-key], consumers: []}""", "spec.config.consumers: is empty while global_auth is true")]
    [InlineData("key-auth", """{keys: [x-api-key], consumers: [{name: c, credential: k}, {name: c, credential: l}]}""", "spec.config.consumers[1].name: 'c' is also the name of consumers[0]")]
    [InlineData("key-auth", """{keys: [x-api-key], consumers: [{name: c, credential: k}, {name: d, credential: k}]}""", "spec.config.consumers[1].credential: is the same as the credential of consumers[0]")]
    [InlineData("basic-auth", """{consumers: [{name: c, credential: "u:p"}], allow: c}""", "spec.config.allow: ")]
    [InlineData("basic-auth", """{global_auth: true, consumers: []}""", "spec.config.consumers: is empty while global_auth is true")]
    [InlineData("basic-auth", """{consumers: [{name: c, credential: "u:p"}, {name: d, credential: "u:q"}]}""", "spec.config.consumers[1].credential: names user 'u'")]
    [InlineData("hmac-auth", """{consumers: [{name: c, key: k, secret: s}], date_offset: soon}""", "spec.config.date_offset: ")]
    [InlineData("hmac-auth", """{consumers: [{name: c, key: k, secret: s}, {name: d, key: k, secret: t}]}""", "spec.config.consumers[1].key: 'k' is also the key of consumers[0]")]
    [InlineData("hmac-auth", """{consumers: [{name: c, key: k, secret_ref: {name: missing, key: s}}]}""", "spec.config.consumers[0].secret_ref: Secret a/missing does not exist")]
    public void A_bad_config_names_the_Extension_and_field_and_binds_the_instance_unparsed(string plugin, string config, string expected)
    {
        var yaml = World.Replace("PLUGIN", plugin, StringComparison.Ordinal).Replace("CONFIG", config, StringComparison.Ordinal);
        var parsed = ResourceParser.Parse(yaml, new ResourceOrigin("test", null, 0, 0));
        Assert.False(parsed.HasErrors, string.Join("\n", parsed.Diagnostics));

        var result = Translator.Translate(new ResourceSnapshot(parsed.Resources), catalog: PluginCatalog.BuiltIn);

        var error = Assert.Single(result.Diagnostics, d => d.ToString().StartsWith("Extension a/auth: " + expected, StringComparison.Ordinal));
        Assert.True(error.IsError);
        Assert.Contains("; ", error.ToString(), StringComparison.Ordinal);
        var binding = Assert.Single(Assert.Single(result.Plan.Routes).Plugins);
        Assert.Null(binding.Config);
    }
}
