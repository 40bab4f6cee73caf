using System.Diagnostics.Metrics;
using Higress.Core.Diagnostics;
using Higress.Core.Plan;
using Higress.Core.Policies;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Health;

namespace Higress.Hosting.Resilience;

/// <summary>
/// Makes the <see cref="OutlierDetection"/> of each cluster that has <c>outlierDetection</c>, and owns what they share:
/// YARP's health updaters, the clock, the log and the ejection metrics.
/// </summary>
internal sealed class OutlierDetectionFactory : IClusterPolicyFactory
{
    private readonly Counter<long> _ejections;
    private readonly HashSet<OutlierDetection> _live = [];
    private readonly Lock _lock = new();

    public OutlierDetectionFactory(
        IDestinationHealthUpdater healthUpdater,
        IClusterDestinationsUpdater destinationsUpdater,
        TimeProvider time,
        ILogger<OutlierDetection> logger,
        HigressMeter meter)
    {
        HealthUpdater = healthUpdater;
        DestinationsUpdater = destinationsUpdater;
        Time = time;
        Logger = logger;
        _ejections = meter.Meter.CreateCounter<long>(MetricNames.UpstreamEjections, "{ejection}", "Destinations ejected by outlier detection, by cluster");
        meter.Meter.CreateObservableGauge(MetricNames.UpstreamEjected, ObserveEjected, "{destination}", "Destinations ejected by outlier detection now");
    }

    /// <summary>The name its policies are kept under in <see cref="Runtime.ClusterRuntime.Policy"/>.</summary>
    public const string PolicyName = "outlier-detection";

    public string Name => PolicyName;

    public IDestinationHealthUpdater HealthUpdater { get; }

    public IClusterDestinationsUpdater DestinationsUpdater { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    public object? Create(ClusterPlan cluster)
    {
        if (cluster.OutlierDetection is not { } plan)
        {
            return null;
        }

        var detection = new OutlierDetection(cluster, plan, this);
        lock (_lock)
        {
            _live.Add(detection);
        }

        return detection;
    }

    public void CountEjection(string cluster) => _ejections.Add(1, new KeyValuePair<string, object?>("cluster", cluster));

    /// <summary>Stops counting a replaced cluster's policy in the gauge.</summary>
    public void Forget(OutlierDetection detection)
    {
        lock (_lock)
        {
            _live.Remove(detection);
        }
    }

    private int ObserveEjected()
    {
        lock (_lock)
        {
            return _live.Sum(d => d.Ejected);
        }
    }
}
