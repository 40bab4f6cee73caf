using System.Text.Json;
using Higress.Core.Plugins;
using Higress.Core.Resources;

namespace Higress.Core.Tests.Plugins;

public sealed class ResponsePhaseTests
{
    [Fact]
    public void A_plugin_that_only_handles_requests_does_not_act_on_responses()
    {
        Assert.False(ResponsePhase.IsHandledBy(new RequestOnly()));
        Assert.False(ResponsePhase.IsHandledBy(new RequestOnlyWithState()));
    }

    [Fact]
    public void Overriding_either_response_handler_acts_on_responses()
    {
        Assert.True(ResponsePhase.IsHandledBy(new WithResponse()));
        Assert.True(ResponsePhase.IsHandledBy(new WithResponseAndState()));
    }

    [Fact]
    public void A_plugin_implementing_the_interface_itself_counts_as_acting_on_responses()
    {
        Assert.True(ResponsePhase.IsHandledBy(new Bare()));
    }

    private sealed class RequestOnly : HigressPlugin<object>
    {
        public override string Name => "request-only";

        public override ValueTask<PluginResult> OnRequestAsync(PluginContext context, object config) => new(PluginResult.Continue);
    }

    private sealed class WithResponse : HigressPlugin<object>
    {
        public override string Name => "with-response";

        public override ValueTask<PluginResult> OnRequestAsync(PluginContext context, object config) => new(PluginResult.Continue);

        public override ValueTask OnResponseAsync(PluginContext context, object config) => default;
    }

    private sealed class RequestOnlyWithState : HigressPlugin<object, object>
    {
        public override string Name => "request-only-state";

        public override object CreateState(object config) => new();

        public override ValueTask<PluginResult> OnRequestAsync(PluginContext context, object config, object state) => new(PluginResult.Continue);
    }

    private sealed class WithResponseAndState : HigressPlugin<object, object>
    {
        public override string Name => "with-response-state";

        public override object CreateState(object config) => new();

        public override ValueTask<PluginResult> OnRequestAsync(PluginContext context, object config, object state) => new(PluginResult.Continue);

        public override ValueTask OnResponseAsync(PluginContext context, object config, object state) => default;
    }

    private sealed class Bare : IHigressPlugin
    {
        public string Name => "bare";

        public PluginPhase DefaultPhase => PluginPhase.Unspecified;

        public int DefaultPriority => 0;

        public object ParseConfig(JsonElement config, PluginConfigContext context) => new();

        public ValueTask<PluginResult> OnRequestAsync(PluginContext context, object config) => new(PluginResult.Continue);

        ValueTask IHigressPlugin.OnResponseAsync(PluginContext context, object config) => default;
    }
}
