using System.Diagnostics.Metrics;
using System.Globalization;
using Higress.Core.Diagnostics;
using Higress.Core.Plugins;
using Higress.Hosting.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Higress.Hosting.Plugins.ClusterKeyRateLimit;

/// <summary>
/// Higress's <c>cluster-key-rate-limit</c>: request limits shared by every gateway instance through Redis, by rule
/// group (<c>global_threshold</c>) or by a request key (<c>rule_items</c>). See <c>README.md</c> beside this file.
/// </summary>
internal sealed class ClusterKeyRateLimitPlugin : HigressPlugin<ClusterKeyRateLimitConfig, RedisLimiter>
{
    public const string PluginName = "cluster-key-rate-limit";

    private static readonly object QuotaKey = new();

    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Counter<long> _redisErrors;
    private readonly HigressMetrics? _metrics;

    public ClusterKeyRateLimitPlugin(HigressMeter meter, TimeProvider? time = null, ILoggerFactory? loggerFactory = null, HigressMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _metrics = metrics;
        _time = time ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ClusterKeyRateLimitPlugin>();
        _redisErrors = meter.Meter.CreateCounter<long>(
            MetricNames.RateLimitRedisErrors, "{call}", "cluster-key-rate-limit calls to Redis that failed or timed out, by rule; failure_mode_deny decided for the requests");
    }

    public override string Name => PluginName;

    // Higress runs it in the default phase with priority 20.
    public override int DefaultPriority => 20;

    protected override bool RejectUnknownFields => true;

    public override RedisLimiter CreateState(ClusterKeyRateLimitConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var rules = config.Rules ?? throw new InvalidOperationException("cluster-key-rate-limit config was not validated");
        return new RedisLimiter(rules.RuleName, config.Redis!, rules.Redis, _time, _logger, _redisErrors);
    }

    protected override ClusterKeyRateLimitConfig Validate(ClusterKeyRateLimitConfig config, PluginConfigContext context) =>
        config with { Rules = ClusterLimitRulesParser.Compile(config, context) };

    public override async ValueTask<PluginResult> OnRequestAsync(PluginContext context, ClusterKeyRateLimitConfig config, RedisLimiter state)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(state);
        if (config.Rules!.Match(context) is not { } target)
        {
            return PluginResult.Continue;
        }

        var decision = await state.AcquireAsync(target).ConfigureAwait(false);
        var headers = context.HttpContext.Response.Headers;
        switch (decision.Outcome)
        {
            case LimitOutcome.Admitted:
                if (config.ShowLimitQuotaHeader)
                {
                    context.HttpContext.Items[QuotaKey] = decision;
                }

                return PluginResult.Continue;
            case LimitOutcome.Rejected:
                _metrics?.RateLimitRejected(context.Route.Id, PluginName);
                var seconds = Seconds(decision.Reset);
                headers.RetryAfter = seconds;
                headers["X-RateLimit-Reset"] = seconds;
                if (config.ShowLimitQuotaHeader)
                {
                    headers["X-RateLimit-Limit"] = decision.Limit.ToString(CultureInfo.InvariantCulture);
                    headers["X-RateLimit-Remaining"] = "0";
                }

                return PluginResult.Respond(config.RejectedCode, config.RejectedMsg, "text/plain; charset=utf-8");
            default:
                if (!config.FailureModeDeny)
                {
                    return PluginResult.Continue;
                }

                headers.RetryAfter = "1";
                return PluginResult.Respond(503, "rate limit service unavailable", "text/plain; charset=utf-8");
        }
    }

    public override ValueTask OnResponseAsync(PluginContext context, ClusterKeyRateLimitConfig config, RedisLimiter state)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.HttpContext.Items.TryGetValue(QuotaKey, out var value) && value is LimitDecision decision)
        {
            var headers = context.HttpContext.Response.Headers;
            headers["X-RateLimit-Limit"] = decision.Limit.ToString(CultureInfo.InvariantCulture);
            headers["X-RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
            headers["X-RateLimit-Reset"] = Seconds(decision.Reset);
        }

        return default;
    }

    // Whole seconds, rounded up, at least 1: a client told "0" would retry at once into the same window.
    private static string Seconds(TimeSpan reset) => Math.Max(1, (long)Math.Ceiling(reset.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
