using Higress.Core.Resources;

namespace Higress.Core.Plan;

/// <summary>
/// A rule's local (per replica) token-bucket rate limit (native <c>rateLimit</c>): <see cref="RequestsPerUnit"/> tokens
/// per <see cref="Unit"/>, a bucket of <see cref="RequestsPerUnit"/> + <see cref="Burst"/>, one bucket per key value.
/// </summary>
/// <param name="RequestsPerUnit">Tokens added per unit (≥ 1).</param>
/// <param name="Unit">The time unit.</param>
/// <param name="Burst">Extra bucket capacity above <paramref name="RequestsPerUnit"/> (≥ 0).</param>
/// <param name="Key">What a request is counted by.</param>
/// <param name="KeyName">The header or query parameter name for <see cref="RateLimitKey.Header"/> and <see cref="RateLimitKey.Query"/>; otherwise null.</param>
public sealed record RateLimitPlan(int RequestsPerUnit, RateLimitUnit Unit, int Burst, RateLimitKey Key, string? KeyName)
{
    /// <summary>The bucket size: <see cref="RequestsPerUnit"/> + <see cref="Burst"/>, capped at <see cref="int.MaxValue"/>.</summary>
    public int BucketSize => (int)Math.Min(int.MaxValue, (long)RequestsPerUnit + Burst);

    /// <summary>The length of <see cref="Unit"/>.</summary>
    public TimeSpan UnitLength => Unit switch
    {
        RateLimitUnit.Minute => TimeSpan.FromMinutes(1),
        RateLimitUnit.Hour => TimeSpan.FromHours(1),
        RateLimitUnit.Day => TimeSpan.FromDays(1),
        _ => TimeSpan.FromSeconds(1),
    };

    /// <summary>Maps a validated <c>rateLimit</c> field to its plan.</summary>
    public static RateLimitPlan? From(RouteRateLimit? limit)
    {
        if (limit is null)
        {
            return null;
        }

        var (key, name) = limit.Key switch
        {
            "none" => (RateLimitKey.None, null),
            "consumer" => (RateLimitKey.Consumer, null),
            var k when k.StartsWith("header:", StringComparison.Ordinal) => (RateLimitKey.Header, k["header:".Length..]),
            var k when k.StartsWith("query:", StringComparison.Ordinal) => (RateLimitKey.Query, k["query:".Length..]),
            _ => (RateLimitKey.Ip, (string?)null),
        };
        return new RateLimitPlan(limit.RequestsPerUnit, limit.Unit, limit.Burst, key, name);
    }
}

/// <summary>What a rate limit counts requests by.</summary>
public enum RateLimitKey
{
    /// <summary>The client's IP address.</summary>
    Ip,

    /// <summary>A request header's value.</summary>
    Header,

    /// <summary>A query parameter's value.</summary>
    Query,

    /// <summary>The consumer an authentication plugin named (<c>X-Mse-Consumer</c>).</summary>
    Consumer,

    /// <summary>Nothing: one budget for all requests of the rule.</summary>
    None,
}
