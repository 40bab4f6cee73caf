using System.Text.Json;
using Higress.Core.Resources;

namespace Higress.Core.Plugins;

/// <summary>
/// Base class for plugins with a typed configuration. Declare the config as a record (snake_case on the wire,
/// DataAnnotations for single-field checks) and override <see cref="Validate"/> for checks across fields, or override
/// <see cref="ParseConfig"/> to read the JSON yourself; override <see cref="OnRequestAsync"/> to act on requests
/// and, optionally, <see cref="OnResponseAsync"/> to act on responses.
/// </summary>
/// <typeparam name="TConfig">The parsed configuration; treat it as immutable, it is shared by concurrent requests.</typeparam>
public abstract class HigressPlugin<TConfig> : IHigressPlugin
    where TConfig : class
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public virtual PluginPhase DefaultPhase => PluginPhase.Unspecified;

    /// <inheritdoc />
    public virtual int DefaultPriority => 0;

    /// <summary>
    /// True to make an unknown config field an error instead of a warning (the default binding honours it). Security
    /// plugins return true: a misspelt <c>allow</c> must not turn into "everyone is allowed".
    /// </summary>
    protected virtual bool RejectUnknownFields => false;

    /// <summary>
    /// Parses and validates one instance's configuration: by default binds it with
    /// <see cref="PluginConfigContext.Bind{T}(System.Text.Json.JsonElement, bool)"/>, then runs <see cref="Validate"/> once every field bound (cross-field
    /// checks on a partly bound config would only add follow-on errors).
    /// Report every problem to <paramref name="context"/> with the field path and the fix; do not throw.
    /// </summary>
    /// <param name="config">The configuration JSON (an empty object when none was given).</param>
    /// <param name="context">Collects validation errors.</param>
    /// <returns>The parsed configuration (discarded when errors were reported).</returns>
    public virtual TConfig ParseConfig(JsonElement config, PluginConfigContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var bound = context.Bind<TConfig>(config, RejectUnknownFields);
        return context.HasErrors ? bound : Validate(bound, context);
    }

    /// <summary>
    /// Checks across fields (and derives values) once the config is bound; report problems to
    /// <paramref name="context"/>. The default returns <paramref name="config"/> unchanged.
    /// </summary>
    /// <param name="config">The bound configuration.</param>
    /// <param name="context">Collects validation errors.</param>
    /// <returns>The configuration to use (e.g. with derived fields filled in).</returns>
    protected virtual TConfig Validate(TConfig config, PluginConfigContext context) => config;

    /// <summary>Handles a request before it is forwarded.</summary>
    /// <param name="context">The request's plugin context.</param>
    /// <param name="config">This instance's parsed configuration.</param>
    /// <returns><see cref="PluginResult.Continue"/>, or a response that ends the request.</returns>
    public abstract ValueTask<PluginResult> OnRequestAsync(PluginContext context, TConfig config);

    /// <summary>
    /// Handles a response before its headers are sent: the status and headers on
    /// <c>context.HttpContext.Response</c> may be changed, and <see cref="PluginContext.SetResponseBody(string, string?)"/>
    /// replaces the body. The default does nothing.
    /// </summary>
    /// <param name="context">The request's plugin context.</param>
    /// <param name="config">This instance's parsed configuration.</param>
    /// <returns>A task that completes when the plugin is done.</returns>
    public virtual ValueTask OnResponseAsync(PluginContext context, TConfig config) => default;

    object IHigressPlugin.ParseConfig(JsonElement config, PluginConfigContext context) => ParseConfig(config, context);

    ValueTask<PluginResult> IHigressPlugin.OnRequestAsync(PluginContext context, object config) => OnRequestAsync(context, (TConfig)config);

    ValueTask IHigressPlugin.OnResponseAsync(PluginContext context, object config) => OnResponseAsync(context, (TConfig)config);
}
