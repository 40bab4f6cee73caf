using System.Diagnostics.Metrics;
using System.Text;
using Higress.Core.Plugins;
using Higress.Core.Resources;
using Microsoft.AspNetCore.Http;
using static Higress.Core.Tests.Plugins.PluginTestData;

namespace Higress.Core.Tests.Plugins;

public class PluginChainTests
{
    private readonly List<string> _log = [];

    [Fact]
    public async Task Ten_plugins_in_shuffled_order_run_by_phase_then_priority_then_name()
    {
        var expected = new[]
        {
            ("authn-high", PluginPhase.Authn, 500),
            ("authn-low", PluginPhase.Authn, 10),
            ("authz-a", PluginPhase.Authz, 100),
            ("authz-b", PluginPhase.Authz, 100),
            ("authz-low", PluginPhase.Authz, -5),
            ("stats-high", PluginPhase.Stats, 1000),
            ("stats-low", PluginPhase.Stats, 1),
            ("plain-high", PluginPhase.Unspecified, 900),
            ("plain-a", PluginPhase.Unspecified, 0),
            ("plain-b", PluginPhase.Unspecified, 0),
        };
        var shuffled = expected.OrderBy(e => e.Item1.GetHashCode(StringComparison.Ordinal) ^ 0x5f3759df).Reverse().ToArray();
        Assert.NotEqual(expected.Select(e => e.Item1), shuffled.Select(e => e.Item1));

        // Registration order and binding order are both shuffled; neither may matter.
        var catalog = new PluginCatalog(shuffled.Select(e => new RecordingPlugin(e.Item1, _log)));
        var route = Route(plugins: [.. shuffled.Select(e => Binding(e.Item1, e.Item2, e.Item3))]);
        var chain = new PluginChainFactory(catalog).Create(route);

        Assert.True(await chain.ExecuteRequestAsync(new DefaultHttpContext(), route));

        Assert.Equal(expected.Select(e => e.Item1), _log);
        Assert.Equal(expected.Select(e => e.Item1), chain.Bindings.Select(b => b.Name));
    }

    [Fact]
    public async Task Response_handlers_run_in_reverse_for_the_plugins_whose_request_handler_ran()
    {
        var catalog = new PluginCatalog([new RecordingPlugin("a", _log), new RecordingPlugin("b", _log), new RecordingPlugin("c", _log)]);
        var route = Route(plugins: [Binding("a", priority: 3), Binding("b", priority: 2, config: "{\"respond\":401}"), Binding("c", priority: 1)]);
        var chain = new PluginChainFactory(catalog).Create(route);
        var context = NewContext();

        Assert.False(await chain.ExecuteRequestAsync(context, route));

        Assert.Equal(["a", "b", "<b", "<a"], _log);
        Assert.Equal(401, context.Response.StatusCode);
        Assert.Equal("from b", Body(context));
        Assert.True(PluginContext.Get(context)!.IsLocalResponse);
    }

    [Fact]
    public async Task A_throwing_FAIL_CLOSE_plugin_answers_500_forwards_nothing_and_is_counted()
    {
        using var errors = new ErrorCounter();
        var catalog = new PluginCatalog([new RecordingPlugin("first", _log), new RecordingPlugin("broken", _log), new RecordingPlugin("last", _log)]);
        var route = Route(plugins: [Binding("first", priority: 3), Binding("broken", priority: 2, config: "{\"throw\":\"request\"}"), Binding("last", priority: 1)]);
        var chain = new PluginChainFactory(catalog).Create(route);
        var context = NewContext();

        Assert.False(await chain.ExecuteRequestAsync(context, route));

        Assert.Equal(500, context.Response.StatusCode);
        Assert.Equal(["first", "broken", "<first"], _log);
        Assert.Equal(1, errors.For("broken"));
    }

    [Fact]
    public async Task A_throwing_FAIL_OPEN_plugin_is_skipped_and_counted()
    {
        using var errors = new ErrorCounter();
        var catalog = new PluginCatalog([new RecordingPlugin("broken", _log), new RecordingPlugin("last", _log)]);
        var route = Route(plugins: [Binding("broken", priority: 2, failStrategy: FailStrategy.FailOpen, config: "{\"throw\":\"request\"}"), Binding("last", priority: 1)]);
        var chain = new PluginChainFactory(catalog).Create(route);
        var context = NewContext();

        Assert.True(await chain.ExecuteRequestAsync(context, route));

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal(["broken", "last"], _log);
        Assert.Equal(1, errors.For("broken"));
    }

    [Fact]
    public async Task A_throwing_FAIL_CLOSE_response_handler_turns_the_response_into_500()
    {
        var catalog = new PluginCatalog([new RecordingPlugin("broken", _log)]);
        var route = Route(plugins: [Binding("broken", config: "{\"throw\":\"response\"}")]);
        var chain = new PluginChainFactory(catalog).Create(route);
        var context = NewContext();
        Assert.True(await chain.ExecuteRequestAsync(context, route));
        context.Response.StatusCode = 200;
        context.Response.Headers["x-upstream"] = "1";

        Assert.True(await chain.ExecuteResponseAsync(context, route));

        Assert.Equal(500, context.Response.StatusCode);
        Assert.False(context.Response.Headers.ContainsKey("x-upstream"));
    }

    [Fact]
    public async Task Unknown_or_invalid_bindings_fail_closed_or_are_dropped_when_FAIL_OPEN()
    {
        var catalog = new PluginCatalog([new RecordingPlugin("ok", _log)]);
        var route = Route(plugins: [Binding("missing", priority: 5, failStrategy: FailStrategy.FailOpen), Binding("ok")]);
        var open = new PluginChainFactory(catalog).Create(route);
        Assert.Equal(["ok"], open.Bindings.Select(b => b.Name));
        Assert.True(await open.ExecuteRequestAsync(NewContext(), route));

        var closedRoute = Route(plugins: [Binding("ok", priority: 5, config: "{\"invalid\":true}"), Binding("ok", priority: 1)]);
        var closed = new PluginChainFactory(catalog).Create(closedRoute);
        var context = NewContext();
        Assert.False(await closed.ExecuteRequestAsync(context, closedRoute));
        Assert.Equal(500, context.Response.StatusCode);
    }

    [Fact]
    public async Task An_empty_chain_continues_synchronously()
    {
        var route = Route();
        var chain = new PluginChainFactory(PluginCatalog.BuiltIn).Create(route);
        Assert.Same(PluginChain.Empty, chain);
        var task = chain.ExecuteRequestAsync(new DefaultHttpContext(), route);
        Assert.True(task.IsCompletedSuccessfully);
        Assert.True(await task);
        Assert.False(await chain.ExecuteResponseAsync(new DefaultHttpContext(), route));
    }

    [Fact]
    public void Binding_equality_ignores_the_parsed_config()
    {
        var a = Binding("x") with { Config = new object() };
        var b = Binding("x") with { Config = new object() };
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, Binding("x", config: "{\"a\":1}"));
    }

    [Fact]
    public void Two_plugin_types_with_one_name_fail_at_startup()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new PluginCatalog([new RecordingPlugin("dup", _log), new RecordingPlugin("dup", _log)]));
        Assert.Contains("dup", error.Message, StringComparison.Ordinal);
    }

    internal static DefaultHttpContext NewContext()
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        return context;
    }

    internal static string Body(HttpContext context)
    {
        var stream = (MemoryStream)context.Response.Body;
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Listens to <c>higress.plugin.failures</c>, summing by plugin.</summary>
    private sealed class ErrorCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, long> _counts = [];

        public ErrorCounter()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Higress" && instrument.Name == PluginMetrics.ErrorsCounterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "plugin" && tag.Value is string plugin)
                    {
                        lock (_counts)
                        {
                            _counts[plugin] = _counts.GetValueOrDefault(plugin) + value;
                        }
                    }
                }
            });
            _listener.Start();
        }

        public long For(string plugin)
        {
            lock (_counts)
            {
                return _counts.GetValueOrDefault(plugin);
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
