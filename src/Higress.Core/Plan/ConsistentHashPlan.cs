namespace Higress.Core.Plan;

/// <summary>Where a consistent hash takes its key from.</summary>
public enum HashKeySource
{
    /// <summary>A request header, named by <see cref="ConsistentHashPlan.Name"/>.</summary>
    Header,

    /// <summary>A cookie, named by <see cref="ConsistentHashPlan.Name"/>; generated when absent.</summary>
    Cookie,

    /// <summary>The client's IP address.</summary>
    SourceIp,

    /// <summary>A query parameter, named by <see cref="ConsistentHashPlan.Name"/>.</summary>
    QueryParameter,
}

/// <summary>
/// A cluster's consistent hash (ServiceEntry <c>trafficPolicy.loadBalancer.consistentHash</c>): the key's source and the
/// lookup table. A request without a key is balanced at random, as Envoy does.
/// </summary>
/// <param name="Source">Where the key comes from.</param>
/// <param name="Name">The header, cookie or query parameter name; empty for <see cref="HashKeySource.SourceIp"/>.</param>
/// <param name="Maglev">True for a Maglev table, false for a ring.</param>
/// <param name="TableSize">The ring's minimum size, or the Maglev table's (prime) size.</param>
public sealed record ConsistentHashPlan(HashKeySource Source, string Name, bool Maglev, int TableSize)
{
    /// <summary>The default least number of ring entries (Envoy's <c>minimum_ring_size</c>).</summary>
    public const int DefaultRingSize = 1024;

    /// <summary>The default Maglev table size (Envoy's, a prime).</summary>
    public const int DefaultMaglevSize = 65537;

    /// <summary>The path of a generated cookie, or null for none.</summary>
    public string? CookiePath { get; init; }

    /// <summary>The lifetime of a generated cookie, or null for a session cookie.</summary>
    public TimeSpan? CookieTtl { get; init; }
}
