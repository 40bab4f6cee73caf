using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>
/// Consistent hashing (Istio <c>LoadBalancerSettings.ConsistentHashLB</c>): requests with the same key go to the same
/// endpoint while the endpoint set is unchanged, and losing one endpoint moves only its share of the keys. Exactly one
/// key source is set: <c>httpHeaderName</c>, <c>httpCookie</c>, <c>useSourceIp</c> or <c>httpQueryParameterName</c>.
/// </summary>
public sealed record ConsistentHashSettings
{
    /// <summary>Hash on the value of this request header.</summary>
    public string? HttpHeaderName { get; init; }

    /// <summary>Hash on this cookie; the gateway sets it when the request lacks it.</summary>
    public HttpCookieHashKey? HttpCookie { get; init; }

    /// <summary>Hash on the client's IP address.</summary>
    public bool? UseSourceIp { get; init; }

    /// <summary>Hash on the value of this query parameter.</summary>
    public string? HttpQueryParameterName { get; init; }

    /// <summary>Use a ring (Envoy's ring hash); the default table.</summary>
    public RingHashSettings? RingHash { get; init; }

    /// <summary>Use a Maglev lookup table instead of a ring.</summary>
    public MaglevSettings? Maglev { get; init; }

    /// <summary>Deprecated form of <c>ringHash.minimumRingSize</c>.</summary>
    [Range(1, 8_388_608)]
    public int? MinimumRingSize { get; init; }
}

/// <summary>The cookie a consistent hash reads (Istio <c>ConsistentHashLB.HTTPCookie</c>).</summary>
public sealed record HttpCookieHashKey
{
    /// <summary>The cookie's name (required).</summary>
    [Required]
    public string Name { get; init; } = string.Empty;

    /// <summary>The path of a generated cookie; unset = no Path attribute.</summary>
    public string? Path { get; init; }

    /// <summary>The lifetime of a generated cookie (<c>Max-Age</c>), e.g. <c>3600s</c>; <c>0s</c> or unset makes a session cookie.</summary>
    public TimeSpan? Ttl { get; init; }
}

/// <summary>Ring-hash table settings (Istio <c>ConsistentHashLB.RingHash</c>).</summary>
public sealed record RingHashSettings
{
    /// <summary>The least number of entries on the ring (virtual nodes, shared by weight); default 1024.</summary>
    [Range(1, 8_388_608)]
    public int? MinimumRingSize { get; init; }
}

/// <summary>Maglev table settings (Istio <c>ConsistentHashLB.MagLev</c>).</summary>
public sealed record MaglevSettings
{
    /// <summary>The lookup table's size, a prime; default 65537.</summary>
    [Range(2, 5_000_011)]
    public int? TableSize { get; init; }
}
