using System.Collections.Frozen;
using System.Globalization;
using Higress.Core.Balancing;
using Higress.Core.Plan;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Model;

namespace Higress.Hosting.Balancing;

/// <summary>
/// One cluster's weighted or consistent-hash balancing. The table (ring, Maglev, schedule) is built once per set of
/// available destinations and reused until the set changes, so a pick costs a lookup and, for a hash, one hash of the key.
/// </summary>
internal sealed class ClusterBalancer(ClusterPlan cluster)
{
    private readonly FrozenDictionary<string, int> _weights = cluster.Destinations.ToFrozenDictionary(d => d.Id, d => d.Weight, StringComparer.OrdinalIgnoreCase);
    private volatile Members? _members;

    public ClusterPlan Cluster { get; } = cluster;

    /// <summary>The destination for this request; a request without a hash key, or a set without weight, is balanced at random.</summary>
    public DestinationState? Pick(HttpContext context, IReadOnlyList<DestinationState> available)
    {
        if (available.Count == 0)
        {
            return null;
        }

        var members = For(available);
        var index = members.Strategy switch
        {
            HashTable table => HashKey(context) is { } key ? table.Lookup(key) : -1,
            WeightedSchedule schedule => schedule.Next(),
            WeightedChoice choice => choice.Pick(Random.Shared.NextDouble()),
            _ => WeightedChoice.PickLeastLoaded(members.Weights, members.Destinations, static d => d.ConcurrentRequestCount, Random.Shared.NextDouble()),
        };
        return members.Destinations[index >= 0 ? index : Random.Shared.Next(members.Destinations.Length)];
    }

    private ulong? HashKey(HttpContext context)
    {
        var hash = Cluster.ConsistentHash!;
        switch (hash.Source)
        {
            case HashKeySource.Header:
                var header = context.Request.Headers[hash.Name];
                return header.Count == 0 ? null : KeyHash.Of(header[0]);
            case HashKeySource.QueryParameter:
                var query = context.Request.Query[hash.Name];
                return query.Count == 0 ? null : KeyHash.Of(query[0]);
            case HashKeySource.SourceIp:
                Span<char> address = stackalloc char[64];
                return context.Connection.RemoteIpAddress is { } ip && ip.TryFormat(address, out var written) ? KeyHash.Of(address[..written]) : null;
            default:
                return KeyHash.Of(context.Request.Cookies[hash.Name] ?? SetCookie(context, hash));
        }
    }

    // As Envoy: a request without the cookie gets one, and the new value picks the destination, so the next request
    // with it lands on the same one.
    private static string SetCookie(HttpContext context, ConsistentHashPlan hash)
    {
        var value = Random.Shared.NextInt64().ToString("x16", CultureInfo.InvariantCulture);
        var cookie = new SetCookieHeaderValue(hash.Name, value)
        {
            Path = hash.CookiePath,
            MaxAge = hash.CookieTtl,
            HttpOnly = true,
        };
        context.Response.Headers.Append(HeaderNames.SetCookie, cookie.ToString());
        return value;
    }

    private Members For(IReadOnlyList<DestinationState> available)
    {
        var current = _members;
        if (current is not null && current.Matches(available))
        {
            return current;
        }

        var destinations = available.ToArray();
        var weights = destinations.Select(d => _weights.GetValueOrDefault(d.DestinationId, 1)).ToArray();
        object? strategy = Cluster.LoadBalancing switch
        {
            BalancerNames.ConsistentHash => HashTable.Build([.. destinations.Select(d => d.DestinationId)], weights, Cluster.ConsistentHash!.Maglev, Cluster.ConsistentHash.TableSize, [.. Cluster.Destinations.Select(d => d.Weight)]),
            BalancerNames.WeightedRoundRobin => WeightedSchedule.Build(weights),
            BalancerNames.WeightedRandom => WeightedChoice.Build(weights),
            _ => null,
        };
        var built = new Members(available, destinations, weights, strategy);
        _members = built;
        return built;
    }

    /// <summary>A destination set with its weights and table; <see cref="Source"/> is the list it was built from.</summary>
    private sealed record Members(IReadOnlyList<DestinationState> Source, DestinationState[] Destinations, int[] Weights, object? Strategy)
    {
        // YARP hands the same list while health is unchanged; a filtered copy with the same members is equal too.
        public bool Matches(IReadOnlyList<DestinationState> available)
        {
            if (ReferenceEquals(Source, available))
            {
                return true;
            }

            if (available.Count != Destinations.Length)
            {
                return false;
            }

            for (var i = 0; i < Destinations.Length; i++)
            {
                if (!ReferenceEquals(available[i], Destinations[i]))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
