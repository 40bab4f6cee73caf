using System.Text.Json;
using Higress.Core.Resources;

namespace Higress.Core.Plugins;

/// <summary>
/// Base class for plugins with a typed configuration and long-lived per-instance state (a key cache, counters,
/// a compiled policy) that survives reloads while the instance's configuration is unchanged and is replaced when it
/// changes. The state is shared by concurrent requests: make it thread-safe.
/// </summary>
/// <typeparam name="TConfig">The parsed configuration; immutable.</typeparam>
/// <typeparam name="TState">The instance's state.</typeparam>
public abstract class HigressPlugin<TConfig, TState> : IHigressPlugin
    where TConfig : class
    where TState : class
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public virtual PluginPhase DefaultPhase => PluginPhase.Unspecified;

    /// <inheritdoc />
    public virtual int DefaultPriority => 0;

    /// <summary>Parses and validates one instance's configuration; see <see cref="HigressPlugin{TConfig}.ParseConfig"/>.</summary>
    /// <param name="config">The configuration JSON (an empty object when none was given).</param>
    /// <param name="context">Collects validation errors.</param>
    /// <returns>The parsed configuration (discarded when errors were reported).</returns>
    public virtual TConfig ParseConfig(JsonElement config, PluginConfigContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var bound = context.Bind<TConfig>(config);
        return context.HasErrors ? bound : Validate(bound, context);
    }

    /// <summary>Checks across fields once the config is bound; see <see cref="HigressPlugin{TConfig}"/>.</summary>
    /// <param name="config">The bound configuration.</param>
    /// <param name="context">Collects validation errors.</param>
    /// <returns>The configuration to use.</returns>
    protected virtual TConfig Validate(TConfig config, PluginConfigContext context) => config;

    /// <summary>Creates one instance's state from its configuration, when a plan that needs it is applied.</summary>
    /// <param name="config">The instance's configuration.</param>
    /// <returns>The state.</returns>
    public abstract TState CreateState(TConfig config);

    /// <summary>Handles a request before it is forwarded.</summary>
    /// <param name="context">The request's plugin context.</param>
    /// <param name="config">This instance's configuration.</param>
    /// <param name="state">This instance's state.</param>
    /// <returns><see cref="PluginResult.Continue"/>, or a response that ends the request.</returns>
    public abstract ValueTask<PluginResult> OnRequestAsync(PluginContext context, TConfig config, TState state);

    /// <summary>Handles a response before its headers are sent. The default does nothing.</summary>
    /// <param name="context">The request's plugin context.</param>
    /// <param name="config">This instance's configuration.</param>
    /// <param name="state">This instance's state.</param>
    /// <returns>A task that completes when the plugin is done.</returns>
    public virtual ValueTask OnResponseAsync(PluginContext context, TConfig config, TState state) => default;

    object IHigressPlugin.ParseConfig(JsonElement config, PluginConfigContext context) => ParseConfig(config, context);

    object? IHigressPlugin.CreateState(object config) => CreateState((TConfig)config);

    ValueTask<PluginResult> IHigressPlugin.OnRequestAsync(PluginContext context, object config) =>
        OnRequestAsync(context, (TConfig)config, StateOf(context, config));

    ValueTask IHigressPlugin.OnResponseAsync(PluginContext context, object config) =>
        OnResponseAsync(context, (TConfig)config, StateOf(context, config));

    // A context built by hand (a plugin's own unit test) has no state from a chain: make one for the call.
    private TState StateOf(PluginContext context, object config) => context.InstanceState as TState ?? CreateState((TConfig)config);
}
