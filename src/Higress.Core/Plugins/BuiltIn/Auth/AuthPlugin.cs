using Higress.Core.Resources;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Higress.Core.Plugins.BuiltIn.Auth;

/// <summary>
/// The shape every authentication plugin shares, in one place: unknown config fields are errors, it runs in AUTHN,
/// <c>global_auth</c> decides whether a config authenticates at all, <c>allow</c> restricts the consumers that pass
/// (403 otherwise), and a recognised consumer is recorded on <see cref="PluginContext.Consumer"/> (which sets
/// <c>X-Mse-Consumer</c> for the upstream). Plugins implement only <see cref="AuthenticateAsync"/>.
/// </summary>
/// <typeparam name="TConfig">The plugin's config.</typeparam>
/// <typeparam name="TState">The plugin's per-instance state (a credential index, a key cache).</typeparam>
internal abstract class AuthPlugin<TConfig, TState> : HigressPlugin<TConfig, TState>
    where TConfig : AuthConfig
    where TState : class
{
    private readonly ILogger _logger;

    /// <summary>Creates the plugin without logging.</summary>
    protected AuthPlugin()
        : this(null)
    {
    }

    /// <summary>Creates the plugin.</summary>
    /// <param name="logger">Logs refusals (debug level, never a credential); null for none.</param>
    protected AuthPlugin(ILogger? logger) => _logger = logger ?? NullLogger.Instance;

    /// <inheritdoc />
    public override PluginPhase DefaultPhase => PluginPhase.Authn;

    /// <inheritdoc />
    protected sealed override bool RejectUnknownFields => true;

    /// <summary>Recognises the caller, or refuses the request with the plugin's 401.</summary>
    /// <param name="context">The request.</param>
    /// <param name="config">The instance's config.</param>
    /// <param name="state">The instance's state.</param>
    /// <returns>The consumer, or the refusal.</returns>
    protected abstract ValueTask<AuthOutcome> AuthenticateAsync(PluginContext context, TConfig config, TState state);

    /// <summary>The refusal of a recognised consumer that <c>allow</c> does not list (Higress: 403 and the plugin's message).</summary>
    /// <param name="context">The request.</param>
    /// <returns>The 403 response.</returns>
    protected abstract PluginResult Forbidden(PluginContext context);

    /// <summary>True when the config names at least one consumer (or otherwise has something to authenticate against).</summary>
    /// <param name="config">The bound config.</param>
    /// <returns>False for an empty consumer list.</returns>
    protected abstract bool HasConsumers(TConfig config);

    /// <summary>The plugin's own checks across fields, after binding; the default returns the config unchanged.</summary>
    /// <param name="config">The bound config.</param>
    /// <param name="context">Collects errors.</param>
    /// <returns>The config to use.</returns>
    protected virtual TConfig ValidateAuth(TConfig config, PluginConfigContext context) => config;

    /// <summary>
    /// A local refusal as Higress's auth plugins send it: a plain-text message and, when given, a
    /// <c>WWW-Authenticate</c> challenge.
    /// </summary>
    /// <param name="context">The request.</param>
    /// <param name="statusCode">401, 403, ...</param>
    /// <param name="message">The body.</param>
    /// <param name="challenge">The <c>WWW-Authenticate</c> value, or null for none.</param>
    /// <returns>The response that ends the request.</returns>
    protected static PluginResult Refuse(PluginContext context, int statusCode, string message, string? challenge = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (challenge is not null)
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = challenge;
        }

        return PluginResult.Respond(statusCode, message, "text/plain; charset=utf-8");
    }

    /// <inheritdoc />
    protected sealed override TConfig Validate(TConfig config, PluginConfigContext context)
    {
        config = ValidateAuth(config, context);
        var enforced = context.IsMatchRule || (config.GlobalAuth ?? !context.HasMatchRules);
        if (enforced && !HasConsumers(config))
        {
            context.AddError(
                "consumers",
                config.GlobalAuth == true ? "is empty while global_auth is true: every request would be refused" : "is empty: every request would be refused",
                "add at least one consumer, or set global_auth: false and enable the plugin per route with matchRules");
        }

        return config with { Enforced = enforced };
    }

    /// <inheritdoc />
    public sealed override async ValueTask<PluginResult> OnRequestAsync(PluginContext context, TConfig config, TState state)
    {
        if (!config.Enforced)
        {
            return PluginResult.Continue;
        }

        var outcome = await AuthenticateAsync(context, config, state).ConfigureAwait(false);
        if (outcome.Consumer is not { } consumer)
        {
            AuthLog.Refused(_logger, Name, context.Route.Id, outcome.Denial.StatusCode, outcome.Denial.Body);
            return outcome.Denial;
        }

        if (!config.Allow.IsEmpty && !config.Allow.AsSpan().Contains(consumer))
        {
            AuthLog.NotAllowed(_logger, Name, consumer, context.Route.Id);
            return Forbidden(context);
        }

        context.Consumer = consumer;
        return PluginResult.Continue;
    }
}
