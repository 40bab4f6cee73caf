using System.Globalization;
using System.Runtime.CompilerServices;
using Higress.Core.Diagnostics;
using Higress.Core.Plan;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Higress.Hosting.Resilience;

/// <summary>
/// YARP's active health checks with both of <c>healthCheck</c>'s thresholds (YARP's own ConsecutiveFailures policy has
/// no healthy threshold): a destination turns unhealthy after <c>unhealthyThreshold</c> failed probes in a row and
/// healthy again after <c>healthyThreshold</c> good ones. A probe is good when it answers 2xx within the timeout.
/// The thresholds ride in the YARP cluster's metadata.
/// </summary>
internal sealed partial class ActiveHealthPolicy(IDestinationHealthUpdater healthUpdater, ILogger<ActiveHealthPolicy> logger) : IActiveHealthCheckPolicy
{
    public const string PolicyName = "HigressThresholds";
    private const string HealthyKey = "Higress.HealthyThreshold";
    private const string UnhealthyKey = "Higress.UnhealthyThreshold";

    private readonly ConditionalWeakTable<DestinationState, Streak> _streaks = [];

    public string Name => PolicyName;

    /// <summary>The YARP health-check settings of <paramref name="cluster"/>, or null when it has neither check.</summary>
    public static HealthCheckConfig? ConfigFor(ClusterPlan cluster)
    {
        if (cluster.OutlierDetection is null && cluster.HealthCheck is null)
        {
            return null;
        }

        ActiveHealthCheckConfig? active = null;
        if (cluster.HealthCheck is { } check)
        {
            var query = check.Path.IndexOf('?', StringComparison.Ordinal);
            active = new ActiveHealthCheckConfig
            {
                Enabled = true,
                Interval = check.Interval,
                Timeout = check.Timeout,
                Policy = PolicyName,
                Path = query < 0 ? check.Path : check.Path[..query],
                Query = query < 0 ? null : check.Path[query..],
            };
        }

        return new HealthCheckConfig
        {
            Active = active,
            Passive = cluster.OutlierDetection is null ? null : new PassiveHealthCheckConfig { Enabled = true, Policy = OutlierPassivePolicy.PolicyName },

            // Envoy's panic: when no destination is healthy, use them all rather than fail every request.
            AvailableDestinationsPolicy = HealthCheckConstants.AvailableDestinations.HealthyOrPanic,
        };
    }

    /// <summary>The YARP cluster metadata that carries the thresholds, or null without a health check.</summary>
    public static IReadOnlyDictionary<string, string>? MetadataFor(ClusterPlan cluster) => cluster.HealthCheck is { } check
        ? new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [HealthyKey] = check.HealthyThreshold.ToString(CultureInfo.InvariantCulture),
            [UnhealthyKey] = check.UnhealthyThreshold.ToString(CultureInfo.InvariantCulture),
        }
        : null;

    /// <summary>The health after one probe, given the streaks so far (the probe included).</summary>
    public static DestinationHealth Next(DestinationHealth previous, int successes, int failures, int healthyThreshold, int unhealthyThreshold) => previous switch
    {
        DestinationHealth.Unhealthy => successes >= healthyThreshold ? DestinationHealth.Healthy : DestinationHealth.Unhealthy,
        _ when failures >= unhealthyThreshold => DestinationHealth.Unhealthy,
        _ => successes > 0 ? DestinationHealth.Healthy : previous,
    };

    public void ProbingCompleted(ClusterState cluster, IReadOnlyList<DestinationProbingResult> probingResults)
    {
        var metadata = cluster.Model.Config.Metadata;
        var healthy = Threshold(metadata, HealthyKey, 1);
        var unhealthy = Threshold(metadata, UnhealthyKey, 3);
        var updates = new NewActiveDestinationHealth[probingResults.Count];
        for (var i = 0; i < probingResults.Count; i++)
        {
            var result = probingResults[i];
            var destination = result.Destination;
            var streak = _streaks.GetOrCreateValue(destination);
            var good = result.Response is { IsSuccessStatusCode: true };
            int successes, failures;
            lock (streak)
            {
                streak.Successes = good ? streak.Successes + 1 : 0;
                streak.Failures = good ? 0 : streak.Failures + 1;
                (successes, failures) = (streak.Successes, streak.Failures);
            }

            var previous = destination.Health.Active;
            var next = Next(previous, successes, failures, healthy, unhealthy);
            if (next != previous && next == DestinationHealth.Unhealthy)
            {
                Log.Unhealthy(logger, destination.DestinationId, cluster.ClusterId, failures);
            }
            else if (next != previous && previous == DestinationHealth.Unhealthy)
            {
                Log.Healthy(logger, destination.DestinationId, cluster.ClusterId, successes);
            }

            updates[i] = new NewActiveDestinationHealth(destination, next);
        }

        healthUpdater.SetActive(cluster, updates);
    }

    private static int Threshold(IReadOnlyDictionary<string, string>? metadata, string key, int fallback) =>
        metadata is not null && metadata.TryGetValue(key, out var text) && int.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    private sealed class Streak
    {
        public int Successes;
        public int Failures;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.DestinationUnhealthy, Level = LogLevel.Warning, Message = "Destination {Destination} of cluster {Cluster} is unhealthy: {Failures} health probes failed in a row")]
        public static partial void Unhealthy(ILogger logger, string destination, string cluster, int failures);

        [LoggerMessage(EventId = EventIds.DestinationHealthy, Level = LogLevel.Information, Message = "Destination {Destination} of cluster {Cluster} is healthy again: {Successes} health probes succeeded in a row")]
        public static partial void Healthy(ILogger logger, string destination, string cluster, int successes);
    }
}
