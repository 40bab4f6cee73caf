using Higress.Core.Diagnostics;
using Higress.Core.Plan;
using Higress.Hosting.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Higress.Hosting.RateLimiting;

/// <summary>Makes the local rate limiter of each rule that has a <c>rateLimit</c>.</summary>
internal sealed partial class RouteRateLimiters(IOptions<HigressOptions> options, HigressMetrics metrics, TimeProvider time, ILogger<RouteRateLimiter> logger)
{
    private readonly int _maxPartitions = options.Value.Limits.MaxRateLimitPartitions;

    /// <summary>The rate limiter of <paramref name="route"/>, or null when it has no rate limit.</summary>
    public RouteRateLimiter? Create(RoutePlan route)
    {
        if (route.RateLimit is not { } plan)
        {
            return null;
        }

        var routeId = route.Id;
        var partitions = new RateLimitPartitions(plan, _maxPartitions, time, () =>
        {
            metrics.RateLimitPartitionCapReached(routeId);
            Log.PartitionCapReached(logger, routeId, _maxPartitions);
        });
        return new RouteRateLimiter(plan, partitions);
    }

    /// <summary>Counts and logs a request refused by <paramref name="routeId"/>'s rate limit.</summary>
    public void Rejected(string routeId, int retryAfterSeconds)
    {
        metrics.RateLimitRejected(routeId);
        Log.Rejected(logger, routeId, retryAfterSeconds);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.RateLimited, Level = LogLevel.Debug, Message = "Rule {RouteId}: rate limit reached, answered 429 (retry after {RetryAfterSeconds} s)")]
        public static partial void Rejected(ILogger logger, string routeId, int retryAfterSeconds);

        [LoggerMessage(EventId = EventIds.RateLimitPartitionCap, Level = LogLevel.Warning, Message = "Rule {RouteId}: the rate limit has {MaxPartitions} keys in use (Higress:Limits:MaxRateLimitPartitions); new keys share one bucket until idle keys are evicted. Logged once per rule")]
        public static partial void PartitionCapReached(ILogger logger, string routeId, int maxPartitions);
    }
}
