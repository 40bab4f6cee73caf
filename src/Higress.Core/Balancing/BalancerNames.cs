namespace Higress.Core.Balancing;

/// <summary>The load-balancing policies the gateway adds to YARP's, by the name a <c>ClusterPlan</c> gives them.</summary>
internal static class BalancerNames
{
    /// <summary>Consistent hashing on a request key (ring or Maglev).</summary>
    public const string ConsistentHash = "Higress.ConsistentHash";

    /// <summary>Smooth weighted round robin over the endpoints' weights.</summary>
    public const string WeightedRoundRobin = "Higress.WeightedRoundRobin";

    /// <summary>Random, in proportion to the endpoints' weights.</summary>
    public const string WeightedRandom = "Higress.WeightedRandom";

    /// <summary>Least request by weight: random in proportion to weight / (active requests + 1), as Envoy's.</summary>
    public const string WeightedLeastRequest = "Higress.WeightedLeastRequest";

    /// <summary>The weighted form of a YARP policy, for endpoints with unequal weights; the name itself otherwise.</summary>
    public static string Weighted(string yarpPolicy) => yarpPolicy switch
    {
        "RoundRobin" => WeightedRoundRobin,
        "Random" => WeightedRandom,
        "LeastRequests" => WeightedLeastRequest,
        _ => yarpPolicy,
    };
}
