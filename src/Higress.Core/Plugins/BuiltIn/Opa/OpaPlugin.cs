using System.Diagnostics;
using Higress.Core.Diagnostics;
using Higress.Core.Resources;
using Higress.Opa;
using Higress.Opa.Values;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Higress.Core.Plugins.BuiltIn.Opa;

/// <summary>
/// The <c>opa</c> plugin: authorizes each request with an Open Policy Agent decision, evaluated in-process by the
/// embedded engine (<c>rego</c>, <c>modules</c>, <c>data</c>, <c>bundle</c> or <c>directory</c>) or asked of a remote
/// OPA (Higress's <c>serviceSource</c>, <c>host</c>, ...). The input carries opa-envoy-plugin's and Higress's shapes;
/// the decision is a boolean or opa-envoy-plugin's object. A decision that fails (an evaluation error or time limit, an
/// OPA that is down) follows the instance's fail strategy: FAIL_CLOSE answers <c>status_on_error</c> (403).
/// </summary>
internal sealed class OpaPlugin : HigressPlugin<OpaConfig, OpaState>
{
    public const string PluginName = "opa";

    // The engine's depth limit for a gateway decision: deep enough for any real policy, shallow enough to stop runaway
    // recursion long before the stack does.
    private const int MaxDepth = 200;

    private static readonly object ResponseHeadersKey = new();

    private readonly IHttpClientFactory _httpClients;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PluginRuntimeReports _reports;
    private readonly OpaTelemetry _telemetry;

    public OpaPlugin(IHttpClientFactory httpClients, TimeProvider time, ILogger<OpaPlugin> logger, HigressMeter meter, PluginRuntimeReports reports)
    {
        _httpClients = httpClients;
        _time = time;
        _logger = logger;
        _reports = reports;
        _telemetry = new OpaTelemetry(meter, logger);
    }

    public override string Name => PluginName;

    public override PluginPhase DefaultPhase => PluginPhase.Authz;

    // Higress's opa runs at priority 225.
    public override int DefaultPriority => 225;

    // A misspelt field must not silently change what is allowed.
    protected override bool RejectUnknownFields => true;

    protected override OpaConfig Validate(OpaConfig config, PluginConfigContext context) => OpaConfigValidator.Validate(config, context);

    public override OpaState CreateState(OpaConfig config)
    {
        var limits = new EvaluationOptions { Timeout = config.Timeout, MaxDepth = MaxDepth };
        return config.IsRemote
            ? new OpaState(null, _httpClients.CreateClient(PluginName), limits)
            : new OpaState(new OpaPolicySource(config, _httpClients, _time, _logger, _reports), null, limits);
    }

    public override ValueTask<PluginResult> OnRequestAsync(PluginContext context, OpaConfig config, OpaState state)
    {
        // The common case (embedded, no body, a policy loaded) completes synchronously: no state machine per request.
        if (!config.WithBody && state.Source?.Current is { } policy)
        {
            var started = Stopwatch.GetTimestamp();
            var input = OpaInput.Build(context, default);
            return new ValueTask<PluginResult>(Decide(context, config, started, input, policy, state.Limits, null));
        }

        return DecideAsync(context, config, state);
    }

    public override ValueTask OnResponseAsync(PluginContext context, OpaConfig config, OpaState state)
    {
        if (context.HttpContext.Items.TryGetValue(ResponseHeadersKey, out var value) && value is IReadOnlyList<KeyValuePair<string, string>> headers)
        {
            AppendTo(context.HttpContext.Response.Headers, headers);
        }

        return default;
    }

    private async ValueTask<PluginResult> DecideAsync(PluginContext context, OpaConfig config, OpaState state)
    {
        var started = Stopwatch.GetTimestamp();
        var body = default(OpaInput.Body);
        if (config.WithBody)
        {
            var read = await context.ReadRequestBodyAsync(config.MaxBodyBytes).ConfigureAwait(false);
            body = new OpaInput.Body(read.Body, !read.TooLarge, read.TooLarge);
        }

        var input = OpaInput.Build(context, body);
        RegoValue? value = null;
        OpaPolicy? policy = null;
        try
        {
            if (state.Remote is { } client)
            {
                value = await OpaRemote.QueryAsync(client, config.RemoteUri!, input, config.Timeout, context.HttpContext.RequestAborted).ConfigureAwait(false);
            }
            else
            {
                policy = await PolicyAsync(config, state).ConfigureAwait(false);
            }
        }
        catch (OpaDecisionException ex)
        {
            return Fail(context, config, started, input, ex.Reason, ex.Message);
        }

        return Decide(context, config, started, input, policy, state.Limits, value);
    }

    private static async ValueTask<OpaPolicy> PolicyAsync(OpaConfig config, OpaState state)
    {
        var source = state.Source!;
        if (source.Current is null)
        {
            // A bundle URL is fetched in the background: wait for its first attempt, at most one decision's budget.
            await Task.WhenAny(source.FirstAttempt, Task.Delay(config.Timeout)).ConfigureAwait(false);
        }

        return source.Current ?? throw new OpaDecisionException("no_policy", "no policy has loaded: " + (source.LastError ?? "the bundle is still being fetched"));
    }

    /// <summary>Evaluates <paramref name="policy"/> (or takes the remote <paramref name="remoteValue"/>) and answers.</summary>
    private PluginResult Decide(PluginContext context, OpaConfig config, long started, RegoObject input, OpaPolicy? policy, EvaluationOptions limits, RegoValue? remoteValue)
    {
        OpaDecision decision;
        try
        {
            decision = OpaDecision.From(policy is null ? remoteValue : policy.Query.Evaluate(input, limits).Value);
        }
        catch (RegoException ex)
        {
            var reason = ex.Code is RegoErrorCodes.EvalCancelError ? "timeout" : ex.Code is RegoErrorCodes.EvalDepthError ? "depth_limit" : "eval_error";
            return Fail(context, config, started, input, reason, $"{ex.Code}: {ex.Message}");
        }
        catch (FormatException ex)
        {
            return Fail(context, config, started, input, "bad_decision", ex.Message);
        }
        catch (System.Text.RegularExpressions.RegexMatchTimeoutException ex)
        {
            return Fail(context, config, started, input, "timeout", $"a regular expression exceeded its time limit ({ex.MatchTimeout.TotalMilliseconds:0} ms)");
        }

        _telemetry.Decided(config, context, decision, started, input);
        return Apply(context, decision);
    }

    private PluginResult Fail(PluginContext context, OpaConfig config, long started, RegoObject input, string reason, string problem)
    {
        var open = context.FailStrategy == FailStrategy.FailOpen;
        _telemetry.Failed(config, context, reason, problem, open ? "FAIL_OPEN: the request continues" : $"FAIL_CLOSE: answered {config.StatusOnError}", started, input);
        return open ? PluginResult.Continue : PluginResult.Respond(config.StatusOnError);
    }

    private static PluginResult Apply(PluginContext context, OpaDecision decision)
    {
        var http = context.HttpContext;
        if (!decision.Allowed)
        {
            // As opa-envoy-plugin: a denial's headers and response headers go to the client with its status and body.
            AppendTo(http.Response.Headers, decision.Headers);
            AppendTo(http.Response.Headers, decision.ResponseHeaders);
            return PluginResult.Respond(decision.Status, decision.Body);
        }

        if (decision.Headers.Count > 0)
        {
            // Decision headers replace what the client sent under the same names: a client cannot smuggle its own value.
            foreach (var name in decision.Headers.Select(h => h.Key).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                http.Request.Headers.Remove(name);
            }

            AppendTo(http.Request.Headers, decision.Headers);
        }

        foreach (var name in decision.RequestHeadersToRemove)
        {
            http.Request.Headers.Remove(name);
        }

        if (decision.ResponseHeaders.Count > 0)
        {
            http.Items[ResponseHeadersKey] = decision.ResponseHeaders;
        }

        return PluginResult.Continue;
    }

    private static void AppendTo(IHeaderDictionary target, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        foreach (var (name, value) in headers)
        {
            target.Append(name, value);
        }
    }
}
