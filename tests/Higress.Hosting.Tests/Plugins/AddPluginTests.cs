using System.Text.Json;
using Higress.Core.Plan;
using Higress.Core.Plugins;
using Higress.Core.Resources;
using Higress.Hosting;
using Higress.Hosting.Plugins;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Higress.Hosting.Tests.Plugins;

public class AddPluginTests
{
    [Fact]
    public void AddPlugin_puts_the_plugin_beside_the_built_ins_in_the_catalog_once()
    {
        var builder = new TestBuilder();
        builder.AddPlugin<HeaderStampPlugin>().AddPlugin<HeaderStampPlugin>();
        using var services = builder.Services.BuildServiceProvider();

        var catalog = services.GetRequiredService<PluginCatalog>();
        Assert.True(catalog.TryGet("header-stamp", out var plugin));
        Assert.Same(services.GetRequiredService<HeaderStampPlugin>(), plugin);
        Assert.True(catalog.TryGet("custom-response", out _));
        Assert.Single(services.GetServices<IHigressPlugin>());
    }

    [Fact]
    public async Task The_registered_chain_factory_runs_DI_plugins()
    {
        var builder = new TestBuilder();
        HigressPluginServices.Add(builder.Services);
        builder.AddPlugin<HeaderStampPlugin>();
        using var services = builder.Services.BuildServiceProvider();
        var route = new RoutePlan("r", new ResourceKey(ResourceKinds.Route, "default", "r"), null, new RouteOrder(null, 0, 0), [], [], new ForwardAction([]))
        {
            Plugins = [new PluginBinding("header-stamp", "code", PluginPhase.Unspecified, 0, FailStrategy.FailClose, """{"value":"stamped"}""")],
        };

        var chain = services.GetRequiredService<IPluginChainFactory>().Create(route);
        var context = new DefaultHttpContext();

        Assert.True(await chain.ExecuteRequestAsync(context, route));
        Assert.Equal("stamped", context.Request.Headers["x-stamp"]);
    }

    private sealed class TestBuilder : IHigressBuilder
    {
        public IServiceCollection Services { get; } = new ServiceCollection();
    }

    internal sealed record StampConfig(string Value);

    internal sealed class HeaderStampPlugin : HigressPlugin<StampConfig>
    {
        public override string Name => "header-stamp";

        public override StampConfig ParseConfig(JsonElement config, PluginConfigContext context) =>
            context.Deserialize<StampConfig>(config) ?? new StampConfig(string.Empty);

        public override ValueTask<PluginResult> OnRequestAsync(PluginContext context, StampConfig config)
        {
            context.HttpContext.Request.Headers["x-stamp"] = config.Value;
            return new ValueTask<PluginResult>(PluginResult.Continue);
        }
    }
}
