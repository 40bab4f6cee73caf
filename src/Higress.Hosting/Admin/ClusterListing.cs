using Higress.Hosting.Resilience;
using Higress.Hosting.Runtime;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Higress.Hosting.Admin;

/// <summary>
/// Writes <c>/clusters</c>: every cluster of the plan being served with its destinations, each with its health as
/// YARP sees it (active probes, passive health, which outlier detection drives), whether outlier detection ejected it
/// and until when, whether it is available to the load balancer now, and its requests in flight.
/// </summary>
internal static class ClusterListing
{
    public static Task WriteAsync(Stream body, RuntimeState state, IProxyStateLookup proxy, CancellationToken cancellationToken) =>
        AdminJson.WriteListAsync(body, state.Plan.Generation, "clusters", state.Plan.Clusters.AsEnumerable(), (writer, cluster) =>
        {
            proxy.TryGetCluster(cluster.Id, out var yarp);
            state.Clusters.TryGetValue(cluster.Id, out var runtime);
            var outliers = runtime?.Policy(OutlierDetectionFactory.PolicyName) as OutlierDetection;
            var available = yarp?.DestinationsState.AvailableDestinations;
            writer.WriteString("name", cluster.Id);
            writer.WriteString("service", cluster.Service.ToString());
            writer.WriteString("protocol", cluster.Protocol.ToString());
            writer.WriteString("loadBalancing", cluster.LoadBalancing);
            writer.WriteNumber("activeRequests", yarp?.Destinations.Values.Sum(d => d.ConcurrentRequestCount) ?? 0);
            writer.WriteBoolean("outlierDetection", outliers is not null);
            writer.WriteNumber("ejected", outliers?.Ejected ?? 0);
            writer.WriteStartArray("destinations");
            foreach (var destination in cluster.Destinations)
            {
                DestinationState? live = null;
                yarp?.Destinations.TryGetValue(destination.Id, out live);
                writer.WriteStartObject();
                writer.WriteString("id", destination.Id);
                writer.WriteString("address", destination.Address);
                writer.WriteNumber("weight", destination.Weight);
                writer.WriteString("activeHealth", (live?.Health.Active ?? DestinationHealth.Unknown).ToString());
                writer.WriteString("passiveHealth", (live?.Health.Passive ?? DestinationHealth.Unknown).ToString());
                var ejectedUntil = outliers?.EjectedUntil(destination.Id);
                writer.WriteBoolean("ejected", ejectedUntil is not null);
                if (ejectedUntil is { } until)
                {
                    writer.WriteString("ejectedUntil", until.UtcDateTime);
                }

                writer.WriteBoolean("available", live is not null && available?.Contains(live) == true);
                writer.WriteNumber("activeRequests", live?.ConcurrentRequestCount ?? 0);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }, cancellationToken);
}
