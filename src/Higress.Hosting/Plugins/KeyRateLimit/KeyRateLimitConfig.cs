using System.Text.Json.Serialization;
using Higress.Core.Resources;

namespace Higress.Hosting.Plugins.KeyRateLimit;

/// <summary>The <c>key-rate-limit</c> config: Higress's field names, snake_case on the wire.</summary>
internal sealed record KeyRateLimitConfig
{
    /// <summary><c>limit_by_header</c>: the request header whose value is the key (exclusive with <see cref="LimitByParam"/>).</summary>
    public string? LimitByHeader { get; init; }

    /// <summary><c>limit_by_param</c>: the query parameter whose value is the key (exclusive with <see cref="LimitByHeader"/>).</summary>
    public string? LimitByParam { get; init; }

    /// <summary><c>limit_keys</c>: the key values that are limited, each with its own rate; other values pass.</summary>
    public EquatableArray<KeyRateLimitKey> LimitKeys { get; init; }

    /// <summary>True when the key comes from <see cref="LimitByHeader"/>, false for <see cref="LimitByParam"/>.</summary>
    [JsonIgnore]
    public bool ByHeader { get; init; }

    /// <summary>The header or parameter name the key comes from.</summary>
    [JsonIgnore]
    public string Source { get; init; } = string.Empty;
}

/// <summary>One <c>limit_keys</c> entry: a key value and exactly one of its rates.</summary>
internal sealed record KeyRateLimitKey
{
    /// <summary><c>key</c>: the header or parameter value this rate applies to (compared exactly).</summary>
    public string? Key { get; init; }

    /// <summary><c>query_per_second</c>: requests allowed per second.</summary>
    public long? QueryPerSecond { get; init; }

    /// <summary><c>query_per_minute</c>: requests allowed per minute.</summary>
    public long? QueryPerMinute { get; init; }

    /// <summary><c>query_per_hour</c>: requests allowed per hour.</summary>
    public long? QueryPerHour { get; init; }

    /// <summary><c>query_per_day</c>: requests allowed per day.</summary>
    public long? QueryPerDay { get; init; }

    /// <summary>Every rate that is set, with its unit and field name; a valid entry has exactly one.</summary>
    internal IEnumerable<(long Count, RateLimitUnit Unit, string Field)> Rates()
    {
        if (QueryPerSecond is { } second)
        {
            yield return (second, RateLimitUnit.Second, "query_per_second");
        }

        if (QueryPerMinute is { } minute)
        {
            yield return (minute, RateLimitUnit.Minute, "query_per_minute");
        }

        if (QueryPerHour is { } hour)
        {
            yield return (hour, RateLimitUnit.Hour, "query_per_hour");
        }

        if (QueryPerDay is { } day)
        {
            yield return (day, RateLimitUnit.Day, "query_per_day");
        }
    }
}
