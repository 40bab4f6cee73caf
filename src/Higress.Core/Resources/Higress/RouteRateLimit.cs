using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>A local (per replica) token-bucket rate limit for a rule.</summary>
public sealed record RouteRateLimit
{
    /// <summary>Requests allowed per unit (≥ 1).</summary>
    [Required]
    [Range(1, int.MaxValue)]
    public int RequestsPerUnit { get; init; }

    /// <summary>second (default) | minute | hour | day.</summary>
    public RateLimitUnit Unit { get; init; } = RateLimitUnit.Second;

    /// <summary>Extra requests allowed in a burst (≥ 0).</summary>
    [Range(0, int.MaxValue)]
    public int Burst { get; init; }

    /// <summary>What is counted: <c>ip</c> (default) | <c>header:&lt;name&gt;</c> | <c>query:&lt;name&gt;</c> | <c>consumer</c> | <c>none</c>.</summary>
    public string Key { get; init; } = "ip";
}

/// <summary>A rate limit's time unit.</summary>
public enum RateLimitUnit
{
    /// <summary>Per second.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("second")]
    Second,

    /// <summary>Per minute.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("minute")]
    Minute,

    /// <summary>Per hour.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("hour")]
    Hour,

    /// <summary>Per day.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("day")]
    Day,
}
