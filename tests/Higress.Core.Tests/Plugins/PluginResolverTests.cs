using Higress.Core.Plan;
using Higress.Core.Plugins;
using Higress.Core.Resources;
using Higress.Core.Translation.Plugins;
using static Higress.Core.Tests.Plugins.PluginTestData;

namespace Higress.Core.Tests.Plugins;

public class PluginResolverTests
{
    private readonly List<string> _log = [];
    private readonly PluginCatalog _catalog;

    public PluginResolverTests() =>
        _catalog = new PluginCatalog([new RecordingPlugin("auth", _log, PluginPhase.Authn, 100), new RecordingPlugin("stats", _log, PluginPhase.Stats), new RecordingPlugin("jwt-auth", _log)]);

    private static PluginRuleTarget Rule(string @namespace = "a", string name = "orders", ResourceKind? kind = null, string[]? hosts = null, ResourceKey[]? gateways = null, InlinePlugin[]? inline = null) =>
        new(new ResourceKey(kind ?? ResourceKinds.Route, @namespace, name), "spec.http[0]", hosts ?? [], gateways ?? [], inline ?? []);

    [Fact]
    public void An_Extension_without_targets_applies_to_every_route_in_its_namespace_and_never_to_another()
    {
        var resolver = new PluginResolver([Extension("a", "auth", new ExtensionSpec { Plugin = "auth" })], [], _catalog);

        Assert.Equal(["auth"], resolver.Resolve(Rule("a", "orders")).Plugins.Select(p => p.Name));
        Assert.Equal(["auth"], resolver.Resolve(Rule("a", "users", kind: ResourceKinds.HttpRoute)).Plugins.Select(p => p.Name));
        Assert.Empty(resolver.Resolve(Rule("b", "orders")).Plugins);
        Assert.Empty(resolver.Resolve(Rule("b", "orders", gateways: [new ResourceKey(ResourceKinds.HigressGateway, "a", "gw")])).Plugins);
    }

    [Fact]
    public void Names_of_other_namespaces_in_targets_or_match_rules_are_ignored_and_reported()
    {
        var spec = new ExtensionSpec
        {
            Plugin = "auth",
            TargetRefs = [new PolicyTargetReference { Kind = "Route", Name = "orders", Namespace = "b" }],
            MatchRules = [new ExtensionMatchRule { Route = ["b/orders"], Config = Json("{}") }],
        };
        var resolver = new PluginResolver([Extension("a", "auth", spec)], [], _catalog);

        Assert.Empty(resolver.Resolve(Rule("b", "orders")).Plugins);
        Assert.Empty(resolver.Resolve(Rule("a", "orders")).Plugins);
        Assert.Contains(resolver.Diagnostics, d => d.FieldPath == "spec.targetRefs[0].namespace" && d.Object == "Extension a/auth");
        Assert.Contains(resolver.Diagnostics, d => d.FieldPath == "spec.matchRules[0].route[0]");
    }

    [Fact]
    public void TargetRefs_select_routes_by_kind_and_name_and_gateways_by_attachment()
    {
        var spec = new ExtensionSpec
        {
            Plugin = "auth",
            TargetRefs = [new PolicyTargetReference { Kind = "Route", Name = "orders" }, new PolicyTargetReference { Kind = "Gateway", Name = "edge" }],
        };
        var resolver = new PluginResolver([Extension("a", "auth", spec)], [], _catalog);

        Assert.Single(resolver.Resolve(Rule("a", "orders")).Plugins);
        Assert.Empty(resolver.Resolve(Rule("a", "orders", kind: ResourceKinds.HttpRoute)).Plugins);
        Assert.Empty(resolver.Resolve(Rule("a", "users")).Plugins);
        Assert.Single(resolver.Resolve(Rule("a", "users", gateways: [new ResourceKey(ResourceKinds.HigressGateway, "a", "edge")])).Plugins);
        Assert.Single(resolver.Resolve(Rule("a", "edge", kind: ResourceKinds.HigressGateway)).Plugins);
        Assert.Empty(resolver.Resolve(Rule("a", "users", gateways: [new ResourceKey(ResourceKinds.HigressGateway, "b", "edge")])).Plugins);
    }

    [Fact]
    public void Match_rules_override_the_config_per_route_and_domain_and_can_disable_the_plugin()
    {
        var spec = new ExtensionSpec
        {
            Plugin = "auth",
            Config = Json("""{"respond":401}"""),
            MatchRules =
            [
                new ExtensionMatchRule { Route = ["a/health"], ConfigDisable = true },
                new ExtensionMatchRule { Route = ["orders"], Config = Json("""{"respond":403}""") },
                new ExtensionMatchRule { Domain = ["*.example.com"], Config = Json("""{"respond":429}""") },
            ],
        };
        var resolver = new PluginResolver([Extension("a", "auth", spec)], [], _catalog);

        Assert.Empty(resolver.Resolve(Rule("a", "health")).Plugins);
        Assert.Equal(403, ((RecordingConfig)resolver.Resolve(Rule("a", "orders", hosts: ["api.example.com"])).Plugins[0].Config!).Respond);
        Assert.Equal(429, ((RecordingConfig)resolver.Resolve(Rule("a", "users", hosts: ["api.example.com"])).Plugins[0].Config!).Respond);
        Assert.Equal(429, ((RecordingConfig)resolver.Resolve(Rule("a", "users", hosts: ["*.example.com"])).Plugins[0].Config!).Respond);
        var fallback = resolver.Resolve(Rule("a", "users", hosts: ["example.com"])).Plugins[0];
        Assert.Equal(401, ((RecordingConfig)fallback.Config!).Respond);
        Assert.Equal("""{"respond":401}""", fallback.ConfigJson);
    }

    [Fact]
    public void Without_a_default_config_only_match_rules_apply()
    {
        var spec = new ExtensionSpec { Plugin = "auth", MatchRules = [new ExtensionMatchRule { Route = ["orders"], Config = Json("{}") }] };
        var resolver = new PluginResolver([Extension("a", "auth", spec)], [], _catalog);

        Assert.Single(resolver.Resolve(Rule("a", "orders")).Plugins);
        Assert.Empty(resolver.Resolve(Rule("a", "users")).Plugins);
    }

    [Fact]
    public void Ten_Extensions_in_shuffled_order_resolve_by_phase_then_priority_then_name()
    {
        var specs = new (string Name, PluginPhase Phase, int Priority)[]
        {
            ("e7", PluginPhase.Stats, 5), ("e2", PluginPhase.Authn, 1), ("e9", PluginPhase.Unspecified, 7), ("e4", PluginPhase.Authz, 30),
            ("e1", PluginPhase.Authn, 50), ("e10", PluginPhase.Unspecified, 1), ("e5", PluginPhase.Authz, 2), ("e3", PluginPhase.Authz, 40),
            ("e8", PluginPhase.Unspecified, 9), ("e6", PluginPhase.Stats, 6),
        };
        var extensions = specs.Select(s => Extension("a", s.Name, new ExtensionSpec { Plugin = "stats", Phase = s.Phase, Priority = s.Priority }));
        var resolver = new PluginResolver(extensions, [], _catalog);

        var order = resolver.Resolve(Rule()).Plugins.Select(p => p.InstanceId["Extension a/".Length..]);

        Assert.Equal(["e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9", "e10"], order);
    }

    [Fact]
    public void The_plugin_defaults_apply_when_the_Extension_sets_no_phase_or_priority()
    {
        var resolver = new PluginResolver([Extension("a", "auth", new ExtensionSpec { Plugin = "auth", FailStrategy = FailStrategy.FailOpen })], [], _catalog);
        var binding = resolver.Resolve(Rule()).Plugins[0];
        Assert.Equal((PluginPhase.Authn, 100, FailStrategy.FailOpen, "Extension a/auth"), (binding.Phase, binding.Priority, binding.FailStrategy, binding.InstanceId));
    }

    [Fact]
    public void The_plugin_name_is_inferred_from_type_and_the_single_config_key()
    {
        var spec = new ExtensionSpec { Type = ExtensionType.Authentication, Config = Json("""{"jwt":{"respond":401}}""") };
        var resolver = new PluginResolver([Extension("a", "jwt", spec)], [], _catalog);

        var binding = Assert.Single(resolver.Resolve(Rule()).Plugins);
        Assert.Equal("jwt-auth", binding.Name);
        Assert.Equal(401, ((RecordingConfig)binding.Config!).Respond);
        Assert.Empty(resolver.Diagnostics);
    }

    [Fact]
    public void An_invalid_config_is_bound_unparsed_for_the_runtime_to_keep_its_last_good_one_and_names_the_field()
    {
        var resolver = new PluginResolver([Extension("a", "auth", new ExtensionSpec { Plugin = "auth", Config = Json("""{"invalid":true}""") })], [], _catalog);

        var resolution = resolver.Resolve(Rule());

        var binding = Assert.Single(resolution.Plugins);
        Assert.Null(binding.Config);
        Assert.Equal("""{"invalid":true}""", binding.ConfigJson);
        Assert.Null(resolution.Fail);
        var diagnostic = Assert.Single(resolver.Diagnostics);
        Assert.Equal("Extension a/auth: spec.config.invalid: is set; remove it", diagnostic.ToString());
    }

    [Fact]
    public void An_unknown_FAIL_OPEN_instance_is_dropped_and_an_invalid_one_bound_unparsed_and_both_reported()
    {
        var resolver = new PluginResolver(
            [
                Extension("a", "bad", new ExtensionSpec { Plugin = "auth", FailStrategy = FailStrategy.FailOpen, Config = Json("""{"invalid":true}""") }),
                Extension("a", "nope", new ExtensionSpec { Plugin = "no-such-plugin", FailStrategy = FailStrategy.FailOpen }),
                Extension("a", "ok", new ExtensionSpec { Plugin = "stats" }),
            ],
            [],
            _catalog);

        var resolution = resolver.Resolve(Rule());

        Assert.Null(resolution.Fail);
        Assert.Equal(["auth", "stats"], resolution.Plugins.Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Null(resolution.Plugins.Single(p => p.Name == "auth").Config);
        Assert.Contains(resolver.Diagnostics, d => d.FieldPath == "spec.plugin" && d.Message.Contains("no-such-plugin", StringComparison.Ordinal));
    }

    [Fact]
    public void WasmPlugins_take_the_plugin_name_from_the_image_and_follow_default_config_and_ingress_rules()
    {
        var wasm = new WasmPlugin
        {
            Metadata = new ResourceMetadata { Name = "wp", Namespace = "a" },
            Spec = new WasmPluginSpec
            {
                Url = "oci://higress-registry.cn-hangzhou.cr.aliyuncs.com/plugins/stats:1.0.0",
                DefaultConfig = Json("{}"),
                MatchRules = [new WasmPluginMatchRule { Ingress = ["a/health"], ConfigDisable = true }],
            },
        };
        var resolver = new PluginResolver([], [wasm], _catalog);

        Assert.Equal("WasmPlugin a/wp", Assert.Single(resolver.Resolve(Rule()).Plugins).InstanceId);
        Assert.Empty(resolver.Resolve(Rule("a", "health")).Plugins);
        Assert.Empty(resolver.Resolve(Rule("b")).Plugins);
    }

    [Fact]
    public void Inline_plugins_are_named_after_their_rule_and_an_unknown_one_fails_the_rule()
    {
        var resolver = new PluginResolver([], [], _catalog);
        var ok = resolver.Resolve(Rule(inline: [new InlinePlugin { Name = "stats" }, new InlinePlugin { Name = "auth", Config = Json("""{"respond":401}""") }]));

        Assert.Equal(["Route a/orders#spec.http[0].plugins[1]", "Route a/orders#spec.http[0].plugins[0]"], ok.Plugins.Select(p => p.InstanceId));
        Assert.Null(ok.Fail);

        var bad = resolver.Resolve(Rule(inline: [new InlinePlugin { Name = "nope" }]));
        Assert.NotNull(bad.Fail);
        Assert.Equal("Route a/orders: spec.http[0].plugins[0].name", bad.Diagnostics[0].ToString()[..bad.Diagnostics[0].ToString().IndexOf(": no", StringComparison.Ordinal)]);
    }

    [Fact]
    public void A_Gateway_targeted_instance_in_the_Gateways_namespace_applies_to_routes_of_every_namespace_attached_to_it()
    {
        var gateway = new ResourceKey(ResourceKinds.HigressGateway, "infra", "edge");
        var spec = new ExtensionSpec
        {
            Plugin = "auth",
            TargetRefs = [new PolicyTargetReference { Kind = "Gateway", Name = "edge" }],
            MatchRules = [new ExtensionMatchRule { Route = ["orders"], ConfigDisable = true }],
            Config = Json("{}"),
        };
        var resolver = new PluginResolver([Extension("infra", "edge-auth", spec), Extension("infra", "all", new ExtensionSpec { Plugin = "stats" })], [], _catalog);

        // Routes of namespace "a" attached to infra/edge get the Gateway's instance, and only once with two listeners.
        var attached = resolver.Resolve(Rule("a", "orders", gateways: [gateway, gateway]));
        Assert.Equal(["auth"], attached.Plugins.Select(p => p.Name));

        // Its match rules name routes of its own namespace: "orders" in namespace a is not infra's "orders".
        Assert.DoesNotContain(resolver.Resolve(Rule("infra", "orders", gateways: [gateway])).Plugins, p => p.Name == "auth");

        // Not attached to that Gateway, or an instance without a Gateway target: nothing crosses namespaces.
        Assert.Empty(resolver.Resolve(Rule("a", "orders")).Plugins);
        Assert.Empty(resolver.Resolve(Rule("a", "orders", gateways: [new ResourceKey(ResourceKinds.HigressGateway, "infra", "other")])).Plugins);
    }
}
