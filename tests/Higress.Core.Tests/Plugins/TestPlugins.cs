using System.Text.Json;
using Higress.Core.Plan;
using Higress.Core.Plugins;
using Higress.Core.Resources;

namespace Higress.Core.Tests.Plugins;

/// <summary>Config of <see cref="RecordingPlugin"/>: <c>{throw: "request"|"response", respond: 401, invalid: true}</c>.</summary>
internal sealed record RecordingConfig(string? Throw, int Respond);

/// <summary>A plugin that records its calls into a shared log, and throws or responds on demand.</summary>
internal sealed class RecordingPlugin(string name, List<string> log, PluginPhase phase = PluginPhase.Unspecified, int priority = 0) : HigressPlugin<RecordingConfig>
{
    public override string Name => name;

    public override PluginPhase DefaultPhase => phase;

    public override int DefaultPriority => priority;

    public override RecordingConfig ParseConfig(JsonElement config, PluginConfigContext context)
    {
        if (config.TryGetProperty("invalid", out _))
        {
            context.AddError("invalid", "is set", "remove it");
        }

        var throwAt = config.TryGetProperty("throw", out var t) ? t.GetString() : null;
        var respond = config.TryGetProperty("respond", out var r) ? r.GetInt32() : 0;
        return new RecordingConfig(throwAt, respond);
    }

    public override ValueTask<PluginResult> OnRequestAsync(PluginContext context, RecordingConfig config)
    {
        lock (log)
        {
            log.Add(Name);
        }

        if (config.Throw == "request")
        {
            throw new InvalidOperationException("boom");
        }

        return new ValueTask<PluginResult>(config.Respond > 0 ? PluginResult.Respond(config.Respond, "from " + Name) : PluginResult.Continue);
    }

    public override ValueTask OnResponseAsync(PluginContext context, RecordingConfig config)
    {
        lock (log)
        {
            log.Add("<" + Name);
        }

        if (config.Throw == "response")
        {
            throw new InvalidOperationException("boom");
        }

        return default;
    }
}

internal static class PluginTestData
{
    public static RoutePlan Route(string @namespace = "default", string name = "r", params PluginBinding[] plugins) =>
        new($"Route/{@namespace}/{name}/0", new ResourceKey(ResourceKinds.Route, @namespace, name), null, new RouteOrder(null, 0, 0), [], [], new ForwardAction([]))
        {
            Plugins = plugins,
        };

    public static PluginBinding Binding(string name, PluginPhase phase = PluginPhase.Unspecified, int priority = 0, FailStrategy failStrategy = FailStrategy.FailClose, string config = "{}") =>
        new(name, "Extension default/" + name, phase, priority, failStrategy, config);

    public static Extension Extension(string @namespace, string name, ExtensionSpec spec) =>
        new() { Metadata = new ResourceMetadata { Name = name, Namespace = @namespace }, Spec = spec };

    public static EquatableJson Json(string json) => EquatableJson.Parse(json);

    /// <summary>Parses <paramref name="json"/> with <paramref name="plugin"/> as the translator would; returns the config and the errors.</summary>
    public static (T Config, IReadOnlyList<PluginConfigError> Errors) ParseConfig<T>(HigressPlugin<T> plugin, string json)
        where T : class
    {
        var context = new PluginConfigContext(plugin.Name, "test");
        var config = plugin.ParseConfig(System.Text.Json.JsonDocument.Parse(json).RootElement, context);
        return (config, context.Errors);
    }

    /// <summary>Asserts that <paramref name="json"/> has exactly one error, on <paramref name="field"/>, with a fix.</summary>
    public static void AssertSingleError<T>(HigressPlugin<T> plugin, string json, string field, string message)
        where T : class
    {
        var error = Assert.Single(ParseConfig(plugin, json).Errors);
        Assert.Equal(field, error.FieldPath);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(error.Fix));
    }

    /// <summary>Parses a config that must be valid.</summary>
    public static T ValidConfig<T>(HigressPlugin<T> plugin, string json)
        where T : class
    {
        var (config, errors) = ParseConfig(plugin, json);
        Assert.Empty(errors);
        return config;
    }
}
