using System.Text.Json;
using Higress.Core.Resources;

namespace Higress.Core.Plugins;

/// <summary>
/// A plugin: a named handler with a typed configuration. One instance serves every configured use of the
/// plugin, each with its own parsed config, so implementations must be thread-safe and keep per-request
/// state in <see cref="PluginContext"/>. Derive from <see cref="HigressPlugin{TConfig}"/> rather than
/// implementing this interface directly.
/// </summary>
public interface IHigressPlugin
{
    /// <summary>The plugin name that configs refer to, e.g. <c>custom-response</c>.</summary>
    string Name { get; }

    /// <summary>The phase used when a configuration names none.</summary>
    PluginPhase DefaultPhase { get; }

    /// <summary>The priority used when a configuration names none; higher runs first within a phase.</summary>
    int DefaultPriority { get; }

    /// <summary>
    /// Parses and validates one instance's configuration. Called once per plan, never per request.
    /// Problems are reported to <paramref name="context"/> (all of them, not just the first); the returned
    /// object is discarded when any error was reported.
    /// </summary>
    /// <param name="config">The configuration JSON (an empty object when none was given).</param>
    /// <param name="context">Collects validation errors.</param>
    /// <returns>The parsed configuration.</returns>
    object ParseConfig(JsonElement config, PluginConfigContext context);

    /// <summary>
    /// Creates the long-lived state of one instance (a key cache, a limiter's counters), or returns null for none.
    /// Called when a plan is applied; the state is kept across reloads while the instance's binding (plugin, instance,
    /// phase, priority, fail strategy and config) is unchanged, and released when it changes or goes away
    /// (disposed if it is <see cref="IDisposable"/>). Requests find it in <see cref="PluginContext.InstanceState"/>.
    /// </summary>
    /// <param name="config">The object <see cref="ParseConfig"/> returned for this instance.</param>
    /// <returns>The state, or null.</returns>
    object? CreateState(object config) => null;

    /// <summary>Handles a request before it is forwarded.</summary>
    /// <param name="context">The request's plugin context.</param>
    /// <param name="config">The object <see cref="ParseConfig"/> returned for this instance.</param>
    /// <returns>Continue, or end the request with a response.</returns>
    ValueTask<PluginResult> OnRequestAsync(PluginContext context, object config);

    /// <summary>Handles a response before its headers are sent.</summary>
    /// <param name="context">The request's plugin context.</param>
    /// <param name="config">The object <see cref="ParseConfig"/> returned for this instance.</param>
    /// <returns>A task that completes when the plugin is done.</returns>
    ValueTask OnResponseAsync(PluginContext context, object config);
}
