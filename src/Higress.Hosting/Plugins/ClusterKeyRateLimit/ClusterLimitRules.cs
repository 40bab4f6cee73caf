using System.Net;
using System.Text.RegularExpressions;
using Higress.Core.Plugins;
using Higress.Core.Plugins.BuiltIn.IpRestriction;
using Higress.Core.Routing;
using Microsoft.AspNetCore.Http;

namespace Higress.Hosting.Plugins.ClusterKeyRateLimit;

/// <summary>Where a rule item reads its key from.</summary>
internal enum LimitSource
{
    Header,
    Param,
    Consumer,
    Cookie,
    RemoteAddress,
    AddressHeader,
}

/// <summary>How a <c>limit_keys</c> key matches a request's value.</summary>
internal enum KeyMatch
{
    Exact,
    Regexp,
    Any,
    Network,
}

/// <summary>One compiled <c>limit_keys</c> entry.</summary>
internal sealed record CompiledKey(KeyMatch Match, string Text, Regex? Pattern, IPNetwork Network, long Count, int WindowSeconds);

/// <summary>One compiled <c>rule_items</c> entry: its type (Higress's field name), the key name and the keys in order.</summary>
internal sealed record CompiledItem(string LimitType, string KeyName, LimitSource Source, IReadOnlyList<CompiledKey> Keys);

/// <summary>What one request is limited by: its Redis key (without prefix), the limit and the window.</summary>
internal readonly record struct LimitTarget(string Key, long Count, int WindowSeconds);

/// <summary>
/// The compiled rules of one instance: the global threshold or the rule items, matched as Higress matches them (the
/// first item whose key matches the request decides; an item whose value is absent is skipped), and the resolved
/// Redis endpoints. Keys follow Higress's layout, so counters are shared with the same rule_name.
/// </summary>
internal sealed class ClusterLimitRules
{
    /// <summary>Higress's prefix of every key this plugin writes.</summary>
    public const string KeyPrefix = "higress-cluster-key-rate-limit";

    public ClusterLimitRules(string ruleName, CompiledKey? global, IReadOnlyList<CompiledItem> items, IReadOnlyList<DnsEndPoint> redis)
    {
        RuleName = ruleName;
        Global = global;
        Items = items;
        Redis = redis;
    }

    public string RuleName { get; }

    public CompiledKey? Global { get; }

    public IReadOnlyList<CompiledItem> Items { get; }

    public IReadOnlyList<DnsEndPoint> Redis { get; }

    /// <summary>Finds the limit of a request; null when no item matches (the request is not limited).</summary>
    public LimitTarget? Match(PluginContext context)
    {
        if (Global is { } global)
        {
            return new LimitTarget($"{KeyPrefix}:{RuleName}:global_threshold:{global.WindowSeconds}", global.Count, global.WindowSeconds);
        }

        foreach (var item in Items)
        {
            if (item.Source is LimitSource.RemoteAddress or LimitSource.AddressHeader)
            {
                var address = item.Source == LimitSource.RemoteAddress
                    ? context.HttpContext.Connection.RemoteIpAddress
                    : ClientAddress.FromHeader(context.HttpContext.Request.Headers[item.KeyName["from-header-".Length..]]);
                if (address is null)
                {
                    continue;
                }

                if (address.IsIPv4MappedToIPv6)
                {
                    address = address.MapToIPv4();
                }

                foreach (var key in item.Keys)
                {
                    if (key.Network.Contains(address))
                    {
                        return Target(item, key, address.ToString());
                    }
                }

                continue;
            }

            var value = ValueOf(context, item);
            if (value is null)
            {
                continue;
            }

            foreach (var key in item.Keys)
            {
                var hit = key.Match switch
                {
                    KeyMatch.Any => true,
                    KeyMatch.Regexp => RegexCache.IsFullMatch(key.Pattern!, value),
                    _ => string.Equals(key.Text, value, StringComparison.Ordinal),
                };
                if (hit)
                {
                    return Target(item, key, value);
                }
            }
        }

        return null;
    }

    private LimitTarget Target(CompiledItem item, CompiledKey key, string value) =>
        new($"{KeyPrefix}:{RuleName}:{item.LimitType}:{key.WindowSeconds}:{item.KeyName}:{value}", key.Count, key.WindowSeconds);

    private static string? ValueOf(PluginContext context, CompiledItem item)
    {
        var request = context.HttpContext.Request;
        string? value = item.Source switch
        {
            LimitSource.Header => request.Headers[item.KeyName].FirstOrDefault(),
            LimitSource.Param => request.Query[item.KeyName].FirstOrDefault(),
            // The consumer an auth plugin authenticated, never a client's own x-mse-consumer header: a client must not
            // pick its bucket.
            LimitSource.Consumer => context.Consumer,
            LimitSource.Cookie => request.Cookies[item.KeyName],
            _ => null,
        };
        return string.IsNullOrEmpty(value) ? null : value;
    }
}
