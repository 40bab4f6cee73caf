using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Higress.Core.Resources;

namespace Higress.Hosting.Plugins.ClusterKeyRateLimit;

/// <summary>The <c>cluster-key-rate-limit</c> config: Higress's field names, snake_case on the wire.</summary>
internal sealed record ClusterKeyRateLimitConfig
{
    /// <summary><c>rule_name</c>: names the rule group in the Redis keys; instances with the same name share counters.</summary>
    public string? RuleName { get; init; }

    /// <summary><c>global_threshold</c>: one limit for every request of the rule group.</summary>
    public QueryRate? GlobalThreshold { get; init; }

    /// <summary><c>rule_items</c>: limits by a request key; the first item whose key matches decides.</summary>
    public EquatableArray<RuleItemConfig> RuleItems { get; init; }

    /// <summary><c>show_limit_quota_header</c>: add <c>X-RateLimit-Limit</c>, <c>-Remaining</c> and <c>-Reset</c> to answers.</summary>
    public bool ShowLimitQuotaHeader { get; init; }

    /// <summary><c>rejected_code</c>: the status of a refusal.</summary>
    [Range(100, 599)]
    public int RejectedCode { get; init; } = 429;

    /// <summary><c>rejected_msg</c>: the body of a refusal.</summary>
    public string RejectedMsg { get; init; } = "Too many requests";

    /// <summary><c>failure_mode_deny</c>: refuse requests (503) while Redis cannot be reached; false lets them through.</summary>
    public bool FailureModeDeny { get; init; }

    /// <summary><c>redis</c>: where the shared counters live.</summary>
    public RedisConfig? Redis { get; init; }

    /// <summary>The compiled rules and resolved Redis endpoints, made by the parser.</summary>
    [JsonIgnore]
    public ClusterLimitRules? Rules { get; init; }
}

/// <summary>A limit: exactly one of the four rates.</summary>
internal record QueryRate
{
    /// <summary><c>query_per_second</c>.</summary>
    public long? QueryPerSecond { get; init; }

    /// <summary><c>query_per_minute</c>.</summary>
    public long? QueryPerMinute { get; init; }

    /// <summary><c>query_per_hour</c>.</summary>
    public long? QueryPerHour { get; init; }

    /// <summary><c>query_per_day</c>.</summary>
    public long? QueryPerDay { get; init; }
}

/// <summary>One <c>limit_keys</c> entry: a key (exact, <c>regexp:</c>, <c>*</c>, or an IP/CIDR) and its rate.</summary>
internal sealed record LimitKeyConfig : QueryRate
{
    /// <summary><c>key</c>: a string or a number (Higress examples write <c>key: 102234</c>).</summary>
    public EquatableJson? Key { get; init; }
}

/// <summary>One <c>rule_items</c> entry: where the key comes from, and the limits of its values.</summary>
internal sealed record RuleItemConfig
{
    /// <summary><c>limit_by_header</c>: a header; each listed value has its limit.</summary>
    public string? LimitByHeader { get; init; }

    /// <summary><c>limit_by_param</c>: a query parameter; each listed value has its limit.</summary>
    public string? LimitByParam { get; init; }

    /// <summary><c>limit_by_consumer</c>: the consumer name (value ignored); each listed consumer has its limit.</summary>
    public string? LimitByConsumer { get; init; }

    /// <summary><c>limit_by_cookie</c>: a cookie; each listed value has its limit.</summary>
    public string? LimitByCookie { get; init; }

    /// <summary><c>limit_by_per_header</c>: a header; every value matching a <c>regexp:</c> or <c>*</c> key has its own limit.</summary>
    public string? LimitByPerHeader { get; init; }

    /// <summary><c>limit_by_per_param</c>: a query parameter, per value.</summary>
    public string? LimitByPerParam { get; init; }

    /// <summary><c>limit_by_per_consumer</c>: the consumer name, per consumer.</summary>
    public string? LimitByPerConsumer { get; init; }

    /// <summary><c>limit_by_per_cookie</c>: a cookie, per value.</summary>
    public string? LimitByPerCookie { get; init; }

    /// <summary><c>limit_by_per_ip</c>: <c>from-remote-addr</c> or <c>from-header-&lt;name&gt;</c>; per client address, keys are IPs or CIDRs.</summary>
    public string? LimitByPerIp { get; init; }

    /// <summary><c>limit_keys</c>: the keys and their rates, matched in order.</summary>
    public EquatableArray<LimitKeyConfig> LimitKeys { get; init; }
}

/// <summary>The <c>redis</c> block: Higress's fields plus TLS.</summary>
internal sealed record RedisConfig
{
    /// <summary><c>service_name</c>: a ServiceEntry host or a Service, resolved as a route destination is.</summary>
    public string? ServiceName { get; init; }

    /// <summary><c>service_port</c>: the service port; by default the service's only port.</summary>
    [Range(1, 65535)]
    public int? ServicePort { get; init; }

    /// <summary><c>username</c>: for Redis ACL authentication.</summary>
    public string? Username { get; init; }

    /// <summary><c>password</c>: for Redis authentication.</summary>
    public string? Password { get; init; }

    /// <summary><c>timeout</c>: milliseconds; the longest a request waits for Redis, and the connect timeout.</summary>
    [Range(1, 60000)]
    public int Timeout { get; init; } = 1000;

    /// <summary><c>database</c>: the Redis database number (<c>SELECT n</c>).</summary>
    [Range(0, 1000)]
    public int Database { get; init; }

    /// <summary><c>tls</c>: connect with TLS.</summary>
    public bool Tls { get; init; }

    /// <summary><c>tls_server_name</c>: the name the server certificate must carry (and SNI); by default the service name.</summary>
    public string? TlsServerName { get; init; }

    /// <summary><c>tls_insecure_skip_verify</c>: accept any server certificate (tests only).</summary>
    public bool TlsInsecureSkipVerify { get; init; }
}
