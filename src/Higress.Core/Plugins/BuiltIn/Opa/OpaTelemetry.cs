using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Higress.Core.Diagnostics;
using Higress.Opa.Values;
using Microsoft.Extensions.Logging;

namespace Higress.Core.Plugins.BuiltIn.Opa;

/// <summary>
/// The decision log and the opa instruments on the <c>Higress</c> meter: one structured event per decision (decision
/// id, policy path, result, duration, route, consumer; the input only with <c>decision_logs.log_input</c>, masked) and
/// counters of decisions, denials and errors with a latency histogram.
/// </summary>
internal sealed partial class OpaTelemetry
{
    public const string DecisionsCounterName = MetricNames.OpaDecisions;
    public const string DenialsCounterName = MetricNames.OpaDenials;
    public const string ErrorsCounterName = MetricNames.OpaErrors;
    public const string DurationHistogramName = MetricNames.OpaDecisionDuration;

    /// <summary>What replaces a masked input field in the decision log.</summary>
    public const string Masked = "**masked**";

    private readonly ILogger _logger;
    private readonly Counter<long> _decisions;
    private readonly Counter<long> _denials;
    private readonly Counter<long> _errors;
    private readonly Histogram<double> _duration;

    public OpaTelemetry(HigressMeter meter, ILogger logger)
    {
        _logger = logger;
        _decisions = meter.Meter.CreateCounter<long>(DecisionsCounterName, unit: "{decision}", description: "opa decisions, by policy and result (allow, deny, error).");
        _denials = meter.Meter.CreateCounter<long>(DenialsCounterName, unit: "{decision}", description: "opa decisions that denied a request, by policy.");
        _errors = meter.Meter.CreateCounter<long>(ErrorsCounterName, unit: "{error}", description: "opa decisions that failed (evaluation error, time limit, remote OPA error), by policy and reason.");
        _duration = meter.Meter.CreateHistogram<double>(
            DurationHistogramName,
            unit: "s",
            description: "Time to make one opa decision (input, evaluation or remote call), by policy.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MetricNames.DecisionBuckets });
    }

    /// <summary>Records a decision that was made.</summary>
    public void Decided(OpaConfig config, PluginContext context, OpaDecision decision, long started, RegoObject input)
    {
        var elapsed = Stopwatch.GetElapsedTime(started);
        var policy = new KeyValuePair<string, object?>("policy", config.Policy);
        _decisions.Add(1, policy, new KeyValuePair<string, object?>("result", decision.Result));
        if (!decision.Allowed)
        {
            _denials.Add(1, policy);
        }

        _duration.Record(elapsed.TotalSeconds, policy);
        if (config.DecisionLogs.Enabled && _logger.IsEnabled(LogLevel.Information))
        {
            Log.Decision(_logger, NewId(), config.Policy, decision.Result, decision.Allowed ? 0 : decision.Status, elapsed.TotalMilliseconds, context.Route.Id, context.Consumer ?? string.Empty, InputText(config, input));
        }
    }

    /// <summary>Records a decision that failed, and what the fail strategy made of it.</summary>
    public void Failed(OpaConfig config, PluginContext context, string reason, string problem, string answer, long started, RegoObject? input)
    {
        var elapsed = Stopwatch.GetElapsedTime(started);
        var policy = new KeyValuePair<string, object?>("policy", config.Policy);
        _decisions.Add(1, policy, new KeyValuePair<string, object?>("result", "error"));
        _errors.Add(1, policy, new KeyValuePair<string, object?>("reason", reason));
        _duration.Record(elapsed.TotalSeconds, policy);
        Log.DecisionFailed(_logger, config.Owner, config.Policy, context.Route.Id, problem, answer);
        if (config.DecisionLogs.Enabled && _logger.IsEnabled(LogLevel.Information))
        {
            Log.Decision(_logger, NewId(), config.Policy, "error", 0, elapsed.TotalMilliseconds, context.Route.Id, context.Consumer ?? string.Empty, input is null ? null : InputText(config, input));
        }
    }

    private static string NewId() => Guid.NewGuid().ToString();

    private static string? InputText(OpaConfig config, RegoObject input)
    {
        if (!config.DecisionLogs.LogInput)
        {
            return null;
        }

        var node = JsonNode.Parse(RegoConvert.ToJson(input));
        foreach (var path in config.DecisionLogs.Mask)
        {
            Mask(node, path);
        }

        return node?.ToJsonString();
    }

    /// <summary>Replaces the field at <paramref name="path"/> (<c>/input/a/b</c>, or <c>a.b</c>) with <see cref="Masked"/>.</summary>
    internal static void Mask(JsonNode? input, string path)
    {
        var segments = path.Contains('/', StringComparison.Ordinal) ? path.Split('/', StringSplitOptions.RemoveEmptyEntries) : path.Split('.', StringSplitOptions.RemoveEmptyEntries);
        var start = segments.Length > 0 && segments[0] == "input" ? 1 : 0;
        var current = input;
        for (var i = start; i < segments.Length && current is JsonObject parent; i++)
        {
            if (!parent.TryGetPropertyValue(segments[i], out var child))
            {
                return;
            }

            if (i == segments.Length - 1)
            {
                parent[segments[i]] = Masked;
                return;
            }

            current = child;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.OpaDecision, Level = LogLevel.Information, Message = "opa decision {DecisionId}: {Policy} = {Result} (status {Status}) in {DurationMs:0.###} ms on rule {Route}, consumer '{Consumer}'; input {Input}")]
        public static partial void Decision(ILogger logger, string decisionId, string policy, string result, int status, double durationMs, string route, string consumer, string? input);

        [LoggerMessage(EventId = EventIds.OpaDecisionFailed, Level = LogLevel.Warning, Message = "opa {Owner}: the decision {Policy} on rule {Route} failed: {Problem}; {Answer}.")]
        public static partial void DecisionFailed(ILogger logger, string owner, string policy, string route, string problem, string answer);
    }
}
