namespace Higress.Core.Plugins;

/// <summary>
/// Base class for plugins with a typed configuration and long-lived per-instance state (a key cache, counters,
/// a compiled policy) that survives reloads while the instance's configuration is unchanged and is replaced when it
/// changes. The state is shared by concurrent requests: make it thread-safe. Configuration parsing and validation
/// are <see cref="HigressPlugin{TConfig}"/>'s.
/// </summary>
/// <typeparam name="TConfig">The parsed configuration; immutable.</typeparam>
/// <typeparam name="TState">The instance's state.</typeparam>
public abstract class HigressPlugin<TConfig, TState> : HigressPlugin<TConfig>, IHigressPlugin
    where TConfig : class
    where TState : class
{
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

    /// <inheritdoc />
    public sealed override ValueTask<PluginResult> OnRequestAsync(PluginContext context, TConfig config) =>
        OnRequestAsync(context, config, StateOf(context, config));

    /// <inheritdoc />
    public sealed override ValueTask OnResponseAsync(PluginContext context, TConfig config) =>
        OnResponseAsync(context, config, StateOf(context, config));

    object? IHigressPlugin.CreateState(object config) => CreateState((TConfig)config);

    // A context built by hand (a plugin's own unit test) has no state from a chain: make one for the call.
    private TState StateOf(PluginContext context, TConfig config) => context.InstanceState as TState ?? CreateState(config);
}
