using System.Net;
using System.Text.Json;
using Higress.Core.Plugins;
using Higress.Core.Plugins.BuiltIn.IpRestriction;
using Higress.Core.Plugins.BuiltIn.RequestBlock;
using Higress.Core.Routing;

namespace Higress.Hosting.Plugins.ClusterKeyRateLimit;

/// <summary>
/// Checks a bound <see cref="ClusterKeyRateLimitConfig"/> as Higress's parser does (and a little stricter: two rates
/// on one key, or two <c>limit_by_*</c> on one item, are errors rather than a silent pick) and compiles it. Every
/// problem is reported with its field path and fix.
/// </summary>
internal static class ClusterLimitRulesParser
{
    private const string RateFix = "set exactly one of query_per_second, query_per_minute, query_per_hour, query_per_day to a positive number";

    private static readonly string[] LimitFields =
    [
        "limit_by_header", "limit_by_param", "limit_by_consumer", "limit_by_cookie",
        "limit_by_per_header", "limit_by_per_param", "limit_by_per_consumer", "limit_by_per_cookie", "limit_by_per_ip",
    ];

    public static ClusterLimitRules? Compile(ClusterKeyRateLimitConfig config, PluginConfigContext context)
    {
        if (string.IsNullOrWhiteSpace(config.RuleName))
        {
            context.AddError("rule_name", "is required", "name the rule group, e.g. rule_name: routeA-global-limit-rule (instances with the same name share counters)");
        }

        CompiledKey? global = null;
        var items = new List<CompiledItem>();
        if (config.GlobalThreshold is not null && !config.RuleItems.IsEmpty)
        {
            context.AddError("global_threshold", "global_threshold and rule_items cannot be set at the same time",
                "keep global_threshold for one limit of the whole rule group, or rule_items for limits by a request key; split them into two instances if you need both");
        }
        else if (config.GlobalThreshold is { } threshold)
        {
            global = Rate(threshold, KeyMatch.Any, "*", null, default, "global_threshold", context);
        }
        else if (config.RuleItems.IsEmpty)
        {
            context.AddError("global_threshold", "neither global_threshold nor rule_items is set", "set global_threshold (one limit) or rule_items (limits by a request key)");
        }

        for (var i = 0; i < config.RuleItems.Count; i++)
        {
            if (Item(config.RuleItems[i], $"rule_items[{i}]", context) is { } item)
            {
                items.Add(item);
            }
        }

        IReadOnlyList<DnsEndPoint>? redis = null;
        if (config.Redis is not { } redisConfig)
        {
            context.AddError("redis", "is required", "set redis.service_name to the Redis service (a Service or a ServiceEntry host)");
        }
        else if (string.IsNullOrWhiteSpace(redisConfig.ServiceName))
        {
            context.AddError("redis.service_name", "is required", "name the Redis service: a Service (redis, redis.ns) or a ServiceEntry host (redis.static)");
        }
        else
        {
            redis = context.ResolveService(redisConfig.ServiceName, redisConfig.ServicePort, "redis.service_name");
        }

        return context.HasErrors || redis is null ? null : new ClusterLimitRules(config.RuleName!, global, items, redis);
    }

    private static CompiledItem? Item(RuleItemConfig item, string path, PluginConfigContext context)
    {
        (string Field, string? Value)[] given =
        [
            ("limit_by_header", item.LimitByHeader), ("limit_by_param", item.LimitByParam), ("limit_by_consumer", item.LimitByConsumer),
            ("limit_by_cookie", item.LimitByCookie), ("limit_by_per_header", item.LimitByPerHeader), ("limit_by_per_param", item.LimitByPerParam),
            ("limit_by_per_consumer", item.LimitByPerConsumer), ("limit_by_per_cookie", item.LimitByPerCookie), ("limit_by_per_ip", item.LimitByPerIp),
        ];
        var set = given.Where(g => g.Value is not null).ToList();
        if (set.Count != 1)
        {
            context.AddError(path, set.Count == 0 ? "names no key source" : $"sets {string.Join(" and ", set.Select(s => s.Field))}",
                $"set exactly one of {string.Join(", ", LimitFields)}");
            return null;
        }

        var (field, value) = set[0];
        var consumer = field is "limit_by_consumer" or "limit_by_per_consumer";
        var perIp = field == "limit_by_per_ip";
        var perValue = field is "limit_by_per_header" or "limit_by_per_param" or "limit_by_per_consumer" or "limit_by_per_cookie";
        var source = field switch
        {
            "limit_by_header" or "limit_by_per_header" => LimitSource.Header,
            "limit_by_param" or "limit_by_per_param" => LimitSource.Param,
            "limit_by_cookie" or "limit_by_per_cookie" => LimitSource.Cookie,
            _ when consumer => LimitSource.Consumer,
            _ => value == "from-remote-addr" ? LimitSource.RemoteAddress : LimitSource.AddressHeader,
        };

        // Higress keys consumer counters by the header it reads the consumer from.
        var keyName = consumer ? "x-mse-consumer" : value!;
        if (!consumer && string.IsNullOrWhiteSpace(value))
        {
            context.AddError($"{path}.{field}", "is empty", perIp ? "write from-remote-addr or from-header-<name>, e.g. from-header-x-forwarded-for" : "name the header, parameter or cookie to read");
            return null;
        }

        if (perIp && value != "from-remote-addr" && !(value!.StartsWith("from-header-", StringComparison.Ordinal) && value.Length > "from-header-".Length))
        {
            context.AddError($"{path}.{field}", $"'{value}' is not an address source", "write from-remote-addr (the connection's peer) or from-header-<name>, e.g. from-header-x-forwarded-for");
            return null;
        }

        if (item.LimitKeys.IsEmpty)
        {
            context.AddError($"{path}.limit_keys", "is empty", "list at least one {key, query_per_*} entry");
            return null;
        }

        var keys = new List<CompiledKey>();
        for (var k = 0; k < item.LimitKeys.Count; k++)
        {
            if (Key(item.LimitKeys[k], field, perIp, perValue, $"{path}.limit_keys[{k}]", context) is { } key)
            {
                keys.Add(key);
            }
        }

        return keys.Count == item.LimitKeys.Count ? new CompiledItem(field, keyName, source, keys) : null;
    }

    private static CompiledKey? Key(LimitKeyConfig entry, string field, bool perIp, bool perValue, string path, PluginConfigContext context)
    {
        var text = entry.Key is { Element: var element } && element.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
            ? element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText()
            : null;
        if (string.IsNullOrEmpty(text))
        {
            context.AddError($"{path}.key", "is required", perIp ? "write an IP address or CIDR, e.g. 1.1.1.0/24" : "write the value to limit");
            return null;
        }

        if (perIp)
        {
            if (!IpRestrictionPlugin.TryParseNetwork(text, out var network))
            {
                context.AddError($"{path}.key", $"'{text}' is not an IP address or CIDR", "write an address (1.1.1.1, 2001:db8::1) or a CIDR (1.1.1.0/24, 0.0.0.0/0)");
                return null;
            }

            return Rate(entry, KeyMatch.Network, text, null, network, path, context);
        }

        if (!perValue)
        {
            return Rate(entry, KeyMatch.Exact, text, null, default, path, context);
        }

        if (text == "*")
        {
            return Rate(entry, KeyMatch.Any, text, null, default, path, context);
        }

        if (!text.StartsWith("regexp:", StringComparison.Ordinal))
        {
            context.AddError($"{path}.key", $"'{text}' is neither 'regexp:<pattern>' nor '*', which {field} needs",
                $"write regexp:^a.* (every value it matches gets its own limit) or *, or use {field.Replace("_per_", "_", StringComparison.Ordinal)} for exact values");
            return null;
        }

        var pattern = text["regexp:".Length..];
        if (RegexCache.Validate(pattern) is { } problem)
        {
            context.AddError($"{path}.key", problem.Message, problem.Fix);
            return null;
        }

        // As Go's MatchString (Higress): the pattern may match anywhere in the value; anchor it with ^ and $.
        return Rate(entry, KeyMatch.Regexp, text, RegexCache.Get(RequestBlockState.Unanchored(pattern), ignoreCase: false), default, path, context);
    }

    private static CompiledKey? Rate(QueryRate rate, KeyMatch match, string text, System.Text.RegularExpressions.Regex? pattern, IPNetwork network, string path, PluginConfigContext context)
    {
        (string Field, long? Count, int Seconds)[] rates =
        [
            ("query_per_second", rate.QueryPerSecond, 1), ("query_per_minute", rate.QueryPerMinute, 60),
            ("query_per_hour", rate.QueryPerHour, 3600), ("query_per_day", rate.QueryPerDay, 86400),
        ];
        var set = rates.Where(r => r.Count is not null).ToList();
        if (set.Count != 1)
        {
            context.AddError(path, set.Count == 0 ? "has no rate" : $"sets {string.Join(" and ", set.Select(s => s.Field))}", RateFix);
            return null;
        }

        var (field, count, seconds) = set[0];
        if (count <= 0)
        {
            context.AddError($"{path}.{field}", $"{count} is not a positive number", RateFix);
            return null;
        }

        return new CompiledKey(match, text, pattern, network, count!.Value, seconds);
    }
}
