using System.Globalization;
using System.Threading.RateLimiting;
using Higress.Core.Plan;
using Higress.Core.Plugins;
using Microsoft.AspNetCore.Http;

namespace Higress.Hosting.RateLimiting;

/// <summary>
/// A rule's local rate limit (native <c>rateLimit</c>): takes one token from the bucket of the request's key and
/// writes <c>X-RateLimit-Limit</c>, <c>X-RateLimit-Remaining</c> and <c>X-RateLimit-Reset</c> on the response.
/// Lives as long as the rule's plan is unchanged, so reloads keep the buckets.
/// </summary>
internal sealed class RouteRateLimiter(RateLimitPlan plan, RateLimitPartitions partitions) : IDisposable
{
    public const string LimitHeader = "X-RateLimit-Limit";
    public const string RemainingHeader = "X-RateLimit-Remaining";
    public const string ResetHeader = "X-RateLimit-Reset";

    private readonly string _limit = plan.BucketSize.ToString(CultureInfo.InvariantCulture);

    public RateLimitPlan Plan { get; } = plan;

    public RateLimitPartitions Partitions { get; } = partitions;

    /// <summary>
    /// Takes a token for the request. Returns null when admitted, or the whole seconds until a token is available
    /// (at least 1) when refused.
    /// </summary>
    public int? TryAdmit(HttpContext context)
    {
        var bucket = Partitions.Get(Key(context));
        using var lease = bucket.AttemptAcquire();
        var remaining = bucket.GetStatistics()?.CurrentAvailablePermits ?? 0;
        var headers = context.Response.Headers;
        headers[LimitHeader] = _limit;
        headers[RemainingHeader] = remaining.ToString(CultureInfo.InvariantCulture);
        headers[ResetHeader] = RateLimitPartitions.Seconds(Partitions.RefillTime(Plan.BucketSize - remaining)).ToString(CultureInfo.InvariantCulture);
        return lease.IsAcquired ? null : Partitions.RetryAfterSeconds(lease);
    }

    // A request without a value for its key shares the one "no key" bucket with the others that lack it.
    private string? Key(HttpContext context)
    {
        var request = context.Request;
        return Plan.Key switch
        {
            RateLimitKey.Ip => context.Connection.RemoteIpAddress?.ToString(),
            RateLimitKey.Header => NullIfEmpty(request.Headers[Plan.KeyName!].ToString()),
            RateLimitKey.Query => NullIfEmpty(request.Query[Plan.KeyName!].ToString()),
            RateLimitKey.Consumer => NullIfEmpty(request.Headers[PluginContext.ConsumerHeader].ToString()),
            _ => null,
        };
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    public void Dispose() => Partitions.Dispose();
}
