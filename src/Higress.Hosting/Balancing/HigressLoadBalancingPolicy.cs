using Higress.Core.Balancing;
using Higress.Hosting.Runtime;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace Higress.Hosting.Balancing;

/// <summary>
/// A YARP load-balancing policy of the gateway's own (consistent hash, weighted round robin, random, least request),
/// which hands the pick to the cluster's <see cref="ClusterBalancer"/>, found through the matched route's runtime state.
/// </summary>
internal sealed class HigressLoadBalancingPolicy(string name) : ILoadBalancingPolicy
{
    public string Name { get; } = name;

    /// <summary>Registers the policies and the factory of their per-cluster state.</summary>
    public static void Add(IServiceCollection services)
    {
        services.AddSingleton<Core.Policies.IClusterPolicyFactory, ClusterBalancerFactory>();
        foreach (var policy in new[] { BalancerNames.ConsistentHash, BalancerNames.WeightedRoundRobin, BalancerNames.WeightedRandom, BalancerNames.WeightedLeastRequest })
        {
            services.AddSingleton<ILoadBalancingPolicy>(new HigressLoadBalancingPolicy(policy));
        }
    }

    public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations)
    {
        if (context.Features.Get<IHigressRouteFeature>() is HigressRouteFeature feature
            && feature.State.Clusters.TryGetValue(cluster.ClusterId, out var runtime)
            && runtime.Policy(ClusterBalancerFactory.PolicyName) is ClusterBalancer balancer)
        {
            return balancer.Pick(context, availableDestinations);
        }

        // Only a request that did not come through the gateway's matcher gets here; any destination will do.
        return availableDestinations.Count == 0 ? null : availableDestinations[Random.Shared.Next(availableDestinations.Count)];
    }
}
