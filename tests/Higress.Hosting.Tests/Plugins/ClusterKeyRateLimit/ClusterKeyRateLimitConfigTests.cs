using System.Net;
using Higress.Core.Diagnostics;
using Higress.Core.Plugins;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;
using Higress.Core.Translation;
using Higress.Hosting.Plugins.ClusterKeyRateLimit;
using Higress.Hosting.Runtime;
using Higress.Hosting.Sources;
using Higress.Hosting.Tests.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace Higress.Hosting.Tests.Plugins.ClusterKeyRateLimit;

/// <summary>Bad cluster-key-rate-limit configs are errors naming the object, the field and the fix; the last good plan keeps serving.</summary>
public sealed class ClusterKeyRateLimitConfigTests
{
    private const string Redis = "redis: {service_name: redis.static}";

    private const string ServiceEntry = """
        apiVersion: networking.higress.io/v1alpha1
        kind: ServiceEntry
        metadata: {name: redis}
        spec:
          hosts: [redis.static]
          ports: [{number: 6379, name: redis, protocol: TCP}]
          resolution: STATIC
          endpoints: [{address: 127.0.0.1}]
        """;

    [Theory]
    [InlineData("rule_name: x\nglobal_threshold: {query_per_second: 1}\nrule_items: [{limit_by_header: a, limit_keys: [{key: b, query_per_second: 1}]}]\n" + Redis,
        "spec.config.global_threshold", "cannot be set at the same time")]
    [InlineData("rule_name: x\nrule_items: [{limit_by_per_header: a, limit_keys: [{key: \"regexp:(\", query_per_second: 1}]}]\n" + Redis,
        "spec.config.rule_items[0].limit_keys[0].key", "is unclosed")]
    [InlineData("rule_name: x\nrule_items: [{limit_by_per_ip: from-remote-addr, limit_keys: [{key: 1.1.1.0/33, query_per_second: 1}]}]\n" + Redis,
        "spec.config.rule_items[0].limit_keys[0].key", "not an IP address or CIDR")]
    [InlineData("rule_name: x\nrule_items: [{limit_by_param: a, limit_keys: [{key: b}]}]\n" + Redis,
        "spec.config.rule_items[0].limit_keys[0]", "has no rate")]
    [InlineData("rule_name: x\nglobal_threshold: {}\n" + Redis, "spec.config.global_threshold", "has no rate")]
    [InlineData("rule_name: x\nglobal_threshold: {query_per_second: 1}\nredis: {service_name: nowhere}",
        "spec.config.redis.service_name", "no Service default/nowhere and no ServiceEntry with host nowhere")]
    [InlineData("rule_name: x\nglobal_threshold: {query_per_second: 1, query_per_minute: 5}\n" + Redis, "spec.config.global_threshold", "sets query_per_second and query_per_minute")]
    [InlineData("rule_name: x\nrule_items: [{limit_by_per_header: a, limit_keys: [{key: exact, query_per_second: 1}]}]\n" + Redis,
        "spec.config.rule_items[0].limit_keys[0].key", "neither 'regexp:<pattern>' nor '*'")]
    [InlineData("rule_name: x\nrule_items: [{limit_by_per_ip: somewhere, limit_keys: [{key: 1.1.1.1, query_per_second: 1}]}]\n" + Redis,
        "spec.config.rule_items[0].limit_by_per_ip", "not an address source")]
    [InlineData("global_threshold: {query_per_second: 1}\n" + Redis, "spec.config.rule_name", "is required")]
    public void A_bad_config_is_an_error_naming_the_object_the_field_and_the_fix(string config, string field, string message)
    {
        var result = Translate(ServiceEntry + "\n---\n" + ClusterKeyRateLimitGateway.Extension(config));
        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal("Extension default/limit", error.Object);
        Assert.Equal(field, error.FieldPath);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(error.Fix));
    }

    [Fact]
    public void The_redis_service_resolves_like_a_route_destination_to_its_endpoints()
    {
        var result = Translate(ServiceEntry + "\n---\n" + ClusterKeyRateLimitGateway.Extension("rule_name: x\nglobal_threshold: {query_per_second: 1}\n" + Redis)
            + "---\n" + LoopbackGateway.Route(LoopbackGateway.ForwardTo("redis.static", 6379)));
        Assert.DoesNotContain(result.Diagnostics, d => d.IsError);
        var binding = Assert.Single(Assert.Single(result.Plan!.Routes).Plugins);
        var rules = ((ClusterKeyRateLimitConfig)binding.Config!).Rules!;
        Assert.Equal(new DnsEndPoint("127.0.0.1", 6379), Assert.Single(rules.Redis));
    }

    [Fact]
    public void The_higress_example_in_the_docs_loads_unchanged()
    {
        var page = File.ReadAllText(System.IO.Path.Combine(RepositoryRoot.Path, "docs", "rate-limiting.md"));
        var section = page[page.IndexOf("## cluster-key-rate-limit (shared, Redis)", StringComparison.Ordinal)..];
        var start = section.IndexOf("```yaml\n", StringComparison.Ordinal) + "```yaml\n".Length;
        var yaml = section[start..section.IndexOf("```", start, StringComparison.Ordinal)];

        var result = Translate(yaml + "---\n" + LoopbackGateway.Route(LoopbackGateway.ForwardTo("redis.static", 80)));
        Assert.DoesNotContain(result.Diagnostics, d => d.IsError);
        var binding = Assert.Single(Assert.Single(result.Plan!.Routes).Plugins);
        Assert.Equal(ClusterKeyRateLimitPlugin.PluginName, binding.Name);
        var rules = ((ClusterKeyRateLimitConfig)binding.Config!).Rules!;
        Assert.Equal(new DnsEndPoint("127.0.0.1", 6379), Assert.Single(rules.Redis));
        Assert.Equal(["limit_by_header", "limit_by_per_header"], rules.Items.Select(i => i.LimitType));
        Assert.Equal("102234", rules.Items[0].Keys[0].Text);
    }

    [Fact]
    public async Task A_bad_config_keeps_the_last_good_limit_serving()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var backend = await SleepingBackend.StartAsync();
        using var source = new CodeResourceSource(r => r.AddYaml(ClusterKeyRateLimitGateway.Resources(redis, backend, "rule_name: good\nglobal_threshold: {query_per_minute: 2}\n" + Redis)));
        await using var gateway = await LoopbackGateway.StartAsync(
            r => r.AddService("up", backend.Port, ["127.0.0.1"]), higress: h => h.Services.AddSingleton<Core.Resources.Sources.IResourceSource>(source));
        Assert.Equal(2, await ClusterKeyRateLimitPluginTests.AdmittedAsync(gateway, 4, "x-any", "1"));

        source.Update(r => r.AddYaml(ClusterKeyRateLimitGateway.Resources(
            redis, backend, "rule_name: good\nglobal_threshold: {query_per_minute: 2}\nrule_items: [{limit_by_header: a, limit_keys: [{key: b, query_per_second: 1}]}]\n" + Redis)));
        gateway.Services.GetRequiredService<HigressConfigurationLoop>().Rebuild();

        Assert.Equal(0, await ClusterKeyRateLimitPluginTests.AdmittedAsync(gateway, 3, "x-any", "1"));
    }

    private static TranslationResult Translate(string yaml)
    {
        using var meter = new HigressMeter();
        var catalog = new PluginCatalog([new ClusterKeyRateLimitPlugin(meter)], new ServiceCollection().BuildServiceProvider());
        var parsed = ResourceParser.Parse(yaml, new ResourceOrigin("test", "test.yaml", 0, 0));
        return Translator.Translate(new ResourceSnapshot(parsed.Resources, parsed.Diagnostics), null, catalog);
    }
}
