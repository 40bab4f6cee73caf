using System.Globalization;
using System.Text.Json;
using Higress.Core.Plan;
using Higress.Core.Plugins;
using Higress.Core.Policies;
using Higress.Hosting.Runtime;
using Higress.Hosting.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Higress.Hosting.Tests.Runtime;

/// <summary>
/// Apply is a diff: long-lived state (a cluster policy standing in for a circuit breaker, a plugin instance's state)
/// survives plans that change other objects, and is replaced when its own configuration changes.
/// </summary>
public sealed class PolicyStateReuseTests
{
    [Fact]
    public async Task A_cluster_policy_survives_100_plans_that_change_another_route_and_is_replaced_when_its_cluster_changes()
    {
        var factory = new CountingPolicyFactory();
        await using var gateway = await Gateway.StartAsync(s => s.AddSingleton<IClusterPolicyFactory>(factory), Config(0, "127.0.0.1:9001"));
        var stableId = ClusterId(gateway.Runtime, "stable");
        var breaker = (Counter)gateway.Runtime.Current.Clusters[stableId].Policy("counter")!;
        breaker.Hits = 7;
        var stableRoute = gateway.Runtime.Current.Routes.Values.Single(r => r.Route.Id.Contains("stable", StringComparison.Ordinal));

        for (var i = 1; i <= 100; i++)
        {
            var before = gateway.Runtime.Current;
            gateway.Apply(Config(i, "127.0.0.1:9001"));
            Assert.NotSame(before, gateway.Runtime.Current);
            Assert.Contains(gateway.Runtime.Current.Plan.Routes, r => r.Matches.Any(m => m.Path?.Value == $"/moving-{i}"));
        }

        var after = (Counter)gateway.Runtime.Current.Clusters[stableId].Policy("counter")!;
        Assert.Same(breaker, after);
        Assert.Equal(7, after.Hits);
        Assert.False(after.Disposed);
        Assert.Same(stableRoute, gateway.Runtime.Current.Routes.Values.Single(r => r.Route.Id.Contains("stable", StringComparison.Ordinal)));

        // The stable cluster's own configuration changes (a new endpoint): a new policy, and the old one is released.
        gateway.Apply(Config(100, "127.0.0.1:9002"));
        var replaced = (Counter)gateway.Runtime.Current.Clusters[stableId].Policy("counter")!;
        Assert.NotSame(breaker, replaced);
        Assert.Equal(0, replaced.Hits);
        Assert.True(breaker.Disposed);
    }

    [Fact]
    public async Task A_plugin_instance_state_survives_reloads_until_its_config_changes()
    {
        var plugin = new StatefulPlugin();
        await using var gateway = await Gateway.StartAsync(s => s.AddSingleton<IHigressPlugin>(plugin), Config(0, "127.0.0.1:9001", pluginLabel: "a"));
        var state = Assert.Single(plugin.Created);
        Assert.Equal("a", state.Label);

        for (var i = 1; i <= 10; i++)
        {
            gateway.Apply(Config(i, "127.0.0.1:9001", pluginLabel: "a"));
        }

        Assert.Same(state, Assert.Single(plugin.Created));
        Assert.False(state.Disposed);

        gateway.Apply(Config(10, "127.0.0.1:9001", pluginLabel: "b"));
        Assert.Equal(2, plugin.Created.Count);
        Assert.Equal("b", plugin.Created[1].Label);
        Assert.True(state.Disposed);
        Assert.False(plugin.Created[1].Disposed);
    }

    [Fact]
    public async Task A_plugin_config_that_turns_invalid_keeps_its_last_good_config_serving_and_says_so()
    {
        await using var gateway = await Gateway.StartAsync(_ => { }, WithMock("""{"status_code": 418, "body": "mocked"}"""));
        Assert.Equal("""{"status_code":418,"body":"mocked"}""", MockBinding(gateway.Runtime).ConfigJson);

        gateway.Apply(WithMock("""{"status_code": 9999, "body": "typo"}"""));
        Assert.Equal("""{"status_code":418,"body":"mocked"}""", MockBinding(gateway.Runtime).ConfigJson);
        var note = Assert.Single(gateway.Runtime.Current.Translation.Diagnostics, d => d.Message.Contains("last good config keeps serving", StringComparison.Ordinal));
        Assert.Equal("Extension default/mock", note.Object);
        var status = gateway.Runtime.Current.Translation.Statuses.Single(s => s.Object == "Extension default/mock");
        Assert.Contains(status.Conditions, c => c.Reason == "LastGoodConfig");

        gateway.Apply(WithMock("""{"status_code": 503, "body": "fixed"}"""));
        Assert.Equal("""{"status_code":503,"body":"fixed"}""", MockBinding(gateway.Runtime).ConfigJson);
        Assert.DoesNotContain(gateway.Runtime.Current.Translation.Diagnostics, d => d.Message.Contains("last good", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("FAIL_CLOSE", 1)]
    [InlineData("FAIL_OPEN", 0)]
    public async Task A_plugin_instance_that_was_never_valid_fails_closed_or_is_skipped(string failStrategy, int entries)
    {
        await using var gateway = await Gateway.StartAsync(_ => { }, WithMock("""{"status_code": 9999}""", failStrategy));
        var route = gateway.Runtime.Current.Routes.Values.Single(r => r.Route.Id.Contains("stable", StringComparison.Ordinal));
        Assert.Equal(entries, route.Plugins.Bindings.Length);
    }

    private static PluginBinding MockBinding(HigressRuntime runtime) =>
        Assert.Single(runtime.Current.Routes.Values.Single(r => r.Route.Id.Contains("stable", StringComparison.Ordinal)).Plugins.Bindings);

    private static Action<ResourceBuilder> WithMock(string config, string failStrategy = "FAIL_CLOSE") => r =>
    {
        Config(0, "127.0.0.1:9001")(r);
        r.AddYaml($"""
            apiVersion: networking.higress.io/v1alpha1
            kind: Extension
            metadata: {"{"}name: mock{"}"}
            spec:
              plugin: custom-response
              failStrategy: {failStrategy}
              config: {config}
              targetRefs: [{"{"}kind: Route, name: stable{"}"}]
            """);
    };

    private static string ClusterId(HigressRuntime runtime, string service) =>
        runtime.Current.Plan.Clusters.Single(c => c.Service.Name == service).Id;

    private static Action<ResourceBuilder> Config(int generation, string stableEndpoint, string? pluginLabel = null) => r =>
    {
        r.AddGateway("gw", g => g.Http(18080));
        r.AddService("stable", 80, [stableEndpoint]);
        r.AddService("moving", 80, ["127.0.0.1:9003"]);
        r.AddRoute("stable", route => route.Match(m => m.PathPrefix("/stable")).To("stable", 80));
        r.AddRoute("moving", route => route.Match(m => m.PathPrefix("/moving-" + generation.ToString(CultureInfo.InvariantCulture))).To("moving", 80));
        if (pluginLabel is not null)
        {
            r.AddYaml($$"""
                apiVersion: networking.higress.io/v1alpha1
                kind: Extension
                metadata: {name: stateful}
                spec:
                  plugin: stateful
                  config: {label: {{pluginLabel}}}
                  targetRefs: [{kind: Route, name: stable}]
                """);
        }
    };

    private sealed class Counter : IDisposable
    {
        public int Hits { get; set; }

        public string Label { get; init; } = string.Empty;

        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }

    private sealed class CountingPolicyFactory : IClusterPolicyFactory
    {
        public string Name => "counter";

        public object? Create(ClusterPlan cluster) => new Counter();
    }

    private sealed record StatefulConfig(string Label);

    private sealed class StatefulPlugin : HigressPlugin<StatefulConfig, Counter>
    {
        public override string Name => "stateful";

        public override StatefulConfig ParseConfig(JsonElement config, PluginConfigContext context) =>
            new(config.TryGetProperty("label", out var label) ? label.GetString() ?? string.Empty : string.Empty);

        public List<Counter> Created { get; } = [];

        public override Counter CreateState(StatefulConfig config)
        {
            var state = new Counter { Label = config.Label };
            Created.Add(state);
            return state;
        }

        public override ValueTask<PluginResult> OnRequestAsync(PluginContext context, StatefulConfig config, Counter state)
        {
            state.Hits++;
            return new ValueTask<PluginResult>(PluginResult.Continue);
        }
    }

    /// <summary>A gateway host whose configuration the test replaces and applies synchronously.</summary>
    private sealed class Gateway : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly CodeResourceSource _source;

        private Gateway(WebApplication app, CodeResourceSource source)
        {
            _app = app;
            _source = source;
        }

        public HigressRuntime Runtime => _app.Services.GetRequiredService<HigressRuntime>();

        public static async Task<Gateway> StartAsync(Action<IServiceCollection> services, Action<ResourceBuilder> initial)
        {
            var source = new CodeResourceSource(initial);
            var builder = WebApplication.CreateBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Higress:OpenListeners"] = "false",
                ["Higress:Admin:Enabled"] = "false",
                ["Higress:ReloadDebounce"] = "01:00:00",
                ["Higress:ReloadMaxDelay"] = "01:00:00",
            });
            builder.Services.AddHigress(builder.Configuration.GetSection("Higress"));
            builder.Services.AddSingleton<Core.Resources.Sources.IResourceSource>(source);
            services(builder.Services);
            var app = builder.Build();
            app.MapHigress();
            await app.StartAsync();
            return new Gateway(app, source);
        }

        /// <summary>Replaces the objects and applies them now (the reload loop's debounce is an hour).</summary>
        public void Apply(Action<ResourceBuilder> configure)
        {
            _source.Update(configure);
            _app.Services.GetRequiredService<HigressConfigurationLoop>().Rebuild();
            Assert.Null(Runtime.LastApplyError);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _source.Dispose();
        }
    }
}
