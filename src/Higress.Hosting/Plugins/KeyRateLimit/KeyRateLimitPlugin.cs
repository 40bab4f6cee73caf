using System.Collections.Frozen;
using System.Globalization;
using Higress.Core.Diagnostics;
using Higress.Core.Plan;
using Higress.Core.Plugins;
using Higress.Core.Resources;
using Higress.Hosting.RateLimiting;
using Higress.Hosting.Runtime;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Higress.Hosting.Plugins.KeyRateLimit;

/// <summary>
/// Higress's <c>key-rate-limit</c>: per gateway replica, limits the requests whose header (<c>limit_by_header</c>) or
/// query parameter (<c>limit_by_param</c>) value is listed in <c>limit_keys</c>, each value with its own rate; other
/// values, and requests without one, pass. A refused request gets Higress's answer (429, <c>Too many requests</c>)
/// plus <c>Retry-After</c>. The buckets are the Route <c>rateLimit</c>'s (<see cref="RateLimitPartitions"/>) and live
/// in the instance's state, so a reload that keeps the config keeps them.
/// </summary>
internal sealed partial class KeyRateLimitPlugin(HigressMetrics metrics, TimeProvider time, ILogger<KeyRateLimitPlugin>? logger = null)
    : HigressPlugin<KeyRateLimitConfig, KeyRateLimitPlugin.State>
{
    public const string PluginName = "key-rate-limit";

    /// <summary>The body of a refusal, as Higress sends it.</summary>
    public const string RejectedBody = "Too many requests";

    private readonly ILogger _logger = logger ?? NullLogger<KeyRateLimitPlugin>.Instance;

    /// <inheritdoc />
    public override string Name => PluginName;

    // Higress runs key-rate-limit in the default phase with priority 10.

    /// <inheritdoc />
    public override int DefaultPriority => 10;

    /// <inheritdoc />
    protected override KeyRateLimitConfig Validate(KeyRateLimitConfig config, PluginConfigContext context)
    {
        var header = string.IsNullOrEmpty(config.LimitByHeader) ? null : config.LimitByHeader;
        var param = string.IsNullOrEmpty(config.LimitByParam) ? null : config.LimitByParam;
        if (header is not null && param is not null)
        {
            context.AddError("limit_by_param", "limit_by_header and limit_by_param are both set", "keep one: limit_by_header names the request header, limit_by_param the query parameter whose value is the key");
        }
        else if (header is null && param is null)
        {
            context.AddError("limit_by_header", "neither limit_by_header nor limit_by_param is set", "set limit_by_header to a request header name or limit_by_param to a query parameter name; its value is matched against limit_keys[].key");
        }

        if (config.LimitKeys.IsEmpty)
        {
            context.AddError("limit_keys", "is empty: nothing would be limited", "list the key values to limit, e.g. limit_keys: [{key: abc, query_per_minute: 100}]");
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < config.LimitKeys.Count; i++)
        {
            var item = config.LimitKeys[i];
            var path = $"limit_keys[{i}]";
            if (string.IsNullOrEmpty(item.Key))
            {
                context.AddError(path + ".key", "is missing or empty", "set key to the header or parameter value this rate applies to");
            }
            else if (!seen.TryAdd(item.Key, i))
            {
                context.AddError(path + ".key", $"'{item.Key}' is listed twice (also limit_keys[{seen[item.Key]}])", "keep one entry per key value");
            }

            var rates = item.Rates().ToList();
            if (rates.Count == 0)
            {
                context.AddError(path, "sets no rate", "set exactly one of query_per_second, query_per_minute, query_per_hour or query_per_day");
            }
            else if (rates.Count > 1)
            {
                context.AddError($"{path}.{rates[1].Field}", $"{rates[0].Field} and {rates[1].Field} are both set", "keep exactly one of query_per_second, query_per_minute, query_per_hour or query_per_day");
            }
            else if (rates[0].Count is < 1 or > int.MaxValue)
            {
                context.AddError($"{path}.{rates[0].Field}", $"{rates[0].Count} is not a rate", $"write a whole number from 1 to {int.MaxValue}");
            }
        }

        return config with { ByHeader = header is not null, Source = header ?? param ?? string.Empty };
    }

    /// <inheritdoc />
    public override State CreateState(KeyRateLimitConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new State(config, time);
    }

    /// <inheritdoc />
    public override ValueTask<PluginResult> OnRequestAsync(PluginContext context, KeyRateLimitConfig config, State state)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(state);
        var request = context.HttpContext.Request;

        // Only listed values are limited; StringValues.ToString() of one value returns it without copying.
        var key = config.ByHeader ? request.Headers[config.Source].ToString() : request.Query[config.Source].ToString();
        if (!state.Limits.TryGetValue(key, out var partitions))
        {
            return new ValueTask<PluginResult>(PluginResult.Continue);
        }

        var bucket = partitions.Get(key);
        using var lease = bucket.AttemptAcquire();
        if (lease.IsAcquired)
        {
            return new ValueTask<PluginResult>(PluginResult.Continue);
        }

        var retryAfter = partitions.RetryAfterSeconds(lease);
        var routeId = context.Route.Id;
        metrics.RateLimitRejected(routeId, PluginName);
        Log.Rejected(_logger, routeId, retryAfter);
        context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        return new ValueTask<PluginResult>(PluginResult.Respond(StatusCodes.Status429TooManyRequests, RejectedBody, "text/plain"));
    }

    /// <summary>
    /// One instance's buckets: one <see cref="RateLimitPartitions"/> per distinct rate, keyed by the listed values
    /// that share it. Only listed values ever get a bucket, so the store holds at most <c>limit_keys</c>' length.
    /// </summary>
    internal sealed class State : IDisposable
    {
        private readonly List<RateLimitPartitions> _stores = [];

        public State(KeyRateLimitConfig config, TimeProvider time)
        {
            var limits = new Dictionary<string, RateLimitPartitions>(StringComparer.Ordinal);
            var keyKind = config.ByHeader ? RateLimitKey.Header : RateLimitKey.Query;
            foreach (var group in config.LimitKeys.GroupBy(k => k.Rates().Single()))
            {
                var (count, unit, _) = group.Key;
                var keys = group.Select(k => k.Key!).ToList();
                var partitions = new RateLimitPartitions(new RateLimitPlan((int)count, unit, 0, keyKind, config.Source), keys.Count, time);
                _stores.Add(partitions);
                foreach (var key in keys)
                {
                    limits.TryAdd(key, partitions);
                }
            }

            Limits = limits.ToFrozenDictionary(StringComparer.Ordinal);
        }

        /// <summary>The store of each listed key value.</summary>
        public FrozenDictionary<string, RateLimitPartitions> Limits { get; }

        public void Dispose() => _stores.ForEach(s => s.Dispose());
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.KeyRateLimited, Level = LogLevel.Debug, Message = "Rule {RouteId}: key-rate-limit reached for a key, answered 429 (retry after {RetryAfterSeconds} s)")]
        public static partial void Rejected(ILogger logger, string routeId, int retryAfterSeconds);
    }
}
