using Higress.Core.Plugins;
using Higress.Core.Plugins.BuiltIn.Auth;
using Higress.Core.Resources;
using Higress.Core.Translation.Plugins;
using Microsoft.AspNetCore.Http;
using static Higress.Core.Tests.Plugins.PluginTestData;

namespace Higress.Core.Tests.Plugins;

/// <summary>The seams every authentication plugin shares: merged match-rule configs, global_auth, allow, Secrets, the consumer.</summary>
public class AuthPluginTests
{
    private readonly PluginCatalog _catalog = new([new TokenAuthPlugin()]);

    private static PluginRuleTarget Rule(string @namespace = "a", string name = "orders") =>
        new(new ResourceKey(ResourceKinds.Route, @namespace, name), "spec.http[0]", [], [], []);

    private static Secret Secret(string @namespace, string name, string key, string value) =>
        new() { Metadata = new ResourceMetadata { Name = name, Namespace = @namespace }, StringData = new([KeyValuePair.Create(key, value)]) };

    private static TokenConfig ConfigOf(PluginResolver resolver, string route = "orders") =>
        (TokenConfig)resolver.Resolve(Rule(name: route)).Plugins.Single().Config!;

    [Fact]
    public void A_match_rule_that_sets_only_allow_keeps_the_default_consumers()
    {
        var spec = new ExtensionSpec
        {
            Plugin = "token-auth",
            Config = Json("""{"consumers":[{"name":"alice","token":"t1"},{"name":"bob","token":"t2"}],"global_auth":false}"""),
            MatchRules = [new ExtensionMatchRule { Route = ["orders"], Config = Json("""{"allow":["alice"]}""") }],
        };
        var resolver = new PluginResolver([Extension("a", "auth", spec)], [], _catalog);

        var rule = ConfigOf(resolver);
        Assert.Equal(["alice", "bob"], rule.Consumers.Select(c => c.Name));
        Assert.Equal(["alice"], rule.Allow);
        Assert.True(rule.Enforced);
        Assert.Contains("\"consumers\"", resolver.Resolve(Rule()).Plugins.Single().ConfigJson, StringComparison.Ordinal);

        // The default config applies to the other routes, and global_auth: false lets them pass.
        Assert.False(ConfigOf(resolver, "users").Enforced);
        Assert.Empty(resolver.Diagnostics);
    }

    [Theory]
    [InlineData(null, false, true)]
    [InlineData(null, true, false)]
    [InlineData(true, true, true)]
    [InlineData(false, false, false)]
    public void Global_auth_decides_whether_the_default_config_authenticates(bool? globalAuth, bool hasMatchRules, bool enforced)
    {
        var global = globalAuth is null ? string.Empty : $",\"global_auth\":{(globalAuth.Value ? "true" : "false")}";
        var spec = new ExtensionSpec
        {
            Plugin = "token-auth",
            Config = Json($$"""{"consumers":[{"name":"alice","token":"t1"}]{{global}}}"""),
            MatchRules = hasMatchRules ? [new ExtensionMatchRule { Route = ["other"], Config = Json("{}") }] : [],
        };
        var resolver = new PluginResolver([Extension("a", "auth", spec)], [], _catalog);

        Assert.Equal(enforced, ConfigOf(resolver).Enforced);
        if (hasMatchRules)
        {
            // A route a match rule selects is always authenticated.
            Assert.True(ConfigOf(resolver, "other").Enforced);
        }
    }

    [Fact]
    public void In_a_security_plugin_an_unknown_field_is_an_error_and_so_is_an_empty_consumer_list_with_global_auth()
    {
        var typo = new PluginResolver([Extension("a", "auth", new ExtensionSpec { Plugin = "token-auth", Config = Json("""{"consumers":[{"name":"a","token":"t"}],"alow":["a"]}""") })], [], _catalog);
        var diagnostic = Assert.Single(typo.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal("spec.config.alow", diagnostic.FieldPath);
        Assert.Contains("did you mean 'allow'", diagnostic.ToString(), StringComparison.Ordinal);
        Assert.NotNull(typo.Resolve(Rule()).Plugins.Single().ConfigJson);
        Assert.Null(typo.Resolve(Rule()).Plugins.Single().Config);

        var empty = new PluginResolver([Extension("a", "auth", new ExtensionSpec { Plugin = "token-auth", Config = Json("""{"consumers":[],"global_auth":true}""") })], [], _catalog);
        var emptyDiagnostic = Assert.Single(empty.Diagnostics);
        Assert.Equal("spec.config.consumers", emptyDiagnostic.FieldPath);
        Assert.Contains("global_auth is true", emptyDiagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Credentials_come_from_Secrets_of_the_plugins_own_namespace_only_and_a_rotation_changes_the_binding()
    {
        var spec = new ExtensionSpec { Plugin = "token-auth", Config = Json("""{"consumers":[{"name":"alice","token_ref":{"name":"creds","key":"alice"}}]}""") };
        PluginResolver Resolver(params Secret[] secrets) => new([Extension("a", "auth", spec)], [], _catalog, secrets);

        var resolved = Resolver(Secret("a", "creds", "alice", "s3cret"));
        Assert.Empty(resolved.Diagnostics);
        Assert.Equal("s3cret", ConfigOf(resolved).Consumers[0].Token);
        var binding = resolved.Resolve(Rule()).Plugins.Single();
        Assert.DoesNotContain("s3cret", binding.ConfigJson, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", binding.SecretsVersion!, StringComparison.Ordinal);

        var rotated = Resolver(Secret("a", "creds", "alice", "n3w")).Resolve(Rule()).Plugins.Single();
        Assert.NotEqual(binding, rotated);
        Assert.Equal(binding, Resolver(Secret("a", "creds", "alice", "s3cret")).Resolve(Rule()).Plugins.Single());

        // A Secret of the same name in another namespace is never read.
        var elsewhere = Resolver(Secret("b", "creds", "alice", "s3cret"));
        var missing = Assert.Single(elsewhere.Diagnostics);
        Assert.Equal("spec.config.consumers[0].token_ref", missing.FieldPath);
        Assert.Contains("Secret a/creds does not exist", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_recognised_consumer_is_forwarded_in_X_Mse_Consumer_and_allow_refuses_the_others()
    {
        var plugin = new TokenAuthPlugin();
        var context = new PluginConfigContext("token-auth", "test") { IsMatchRule = true };
        var config = plugin.ParseConfig(Json("""{"consumers":[{"name":"alice","token":"t1"},{"name":"bob","token":"t2"}],"allow":["alice"]}""").Element, context);
        Assert.False(context.HasErrors);

        async Task<(PluginResult Result, PluginContext Context)> Send(string? token)
        {
            var http = new DefaultHttpContext();
            if (token is not null)
            {
                http.Request.Headers["x-token"] = token;
            }

            var plugins = new PluginContext(http, Route());
            return (await plugin.OnRequestAsync(plugins, config), plugins);
        }

        var (ok, okContext) = await Send("t1");
        Assert.True(ok.IsContinue);
        Assert.Equal("alice", okContext.Consumer);
        Assert.Equal("alice", okContext.HttpContext.Request.Headers[PluginContext.ConsumerHeader].ToString());

        Assert.Equal(403, (await Send("t2")).Result.StatusCode);
        Assert.Equal(401, (await Send("nope")).Result.StatusCode);
        Assert.Equal(401, (await Send(null)).Result.StatusCode);
    }

    internal sealed record TokenConsumer
    {
        public string Name { get; init; } = string.Empty;

        public string? Token { get; init; }

        public SecretKeyRef? TokenRef { get; init; }
    }

    internal sealed record TokenConfig : AuthConfig
    {
        public EquatableArray<TokenConsumer> Consumers { get; init; }
    }

    /// <summary>The smallest authentication plugin: a consumer per token in the <c>x-token</c> header.</summary>
    internal sealed class TokenAuthPlugin : AuthPlugin<TokenConfig, object>
    {
        public override string Name => "token-auth";

        public override object CreateState(TokenConfig config) => new();

        protected override bool HasConsumers(TokenConfig config) => !config.Consumers.IsEmpty;

        protected override PluginResult Forbidden(PluginContext context) => PluginResult.Respond(403, "not allowed");

        protected override TokenConfig ValidateAuth(TokenConfig config, PluginConfigContext context)
        {
            var consumers = new List<TokenConsumer>();
            for (var i = 0; i < config.Consumers.Count; i++)
            {
                var consumer = config.Consumers[i];
                if (consumer.TokenRef is { } reference)
                {
                    consumer = consumer with { Token = context.ReadSecret(reference.Name, reference.Key, $"consumers[{i}].token_ref"), TokenRef = null };
                }

                consumers.Add(consumer);
            }

            return config with { Consumers = [.. consumers] };
        }

        protected override ValueTask<AuthOutcome> AuthenticateAsync(PluginContext context, TokenConfig config, object state)
        {
            var token = context.HttpContext.Request.Headers["x-token"].ToString();
            foreach (var consumer in config.Consumers)
            {
                if (token.Length > 0 && consumer.Token == token)
                {
                    return ValueTask.FromResult(AuthOutcome.Authenticated(consumer.Name));
                }
            }

            return ValueTask.FromResult(AuthOutcome.Denied(PluginResult.Respond(401, "who are you?")));
        }
    }
}
