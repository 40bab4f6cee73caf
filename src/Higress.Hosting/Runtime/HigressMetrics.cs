using System.Diagnostics.Metrics;
using Higress.Core.Diagnostics;

namespace Higress.Hosting.Runtime;

/// <summary>The gateway's own metrics, on the <c>Higress</c> meter (exported by <c>/metrics</c>).</summary>
internal sealed class HigressMetrics
{
    private readonly Counter<long> _plansApplied;
    private readonly Counter<long> _plansRejected;
    private readonly Counter<long> _upstreamOverflow;
    private readonly Counter<long> _rateLimitRejections;
    private readonly Counter<long> _rateLimitPartitionCap;
    private long _generation;
    private long _configErrors;

    public HigressMetrics(HigressMeter higressMeter)
    {
        var meter = higressMeter.Meter;
        _plansApplied = meter.CreateCounter<long>("higress_plans_applied_total", description: "Plans applied");
        _plansRejected = meter.CreateCounter<long>("higress_plans_rejected_total", description: "Plans that failed to apply; the previous plan kept serving");
        _upstreamOverflow = meter.CreateCounter<long>("higress_upstream_overflow_total", "{request}", "Requests refused with 503 because a cluster's connection-pool limit was full, by cluster and limit");
        _rateLimitRejections = meter.CreateCounter<long>("higress_ratelimit_rejections_total", "{request}", "Requests refused with 429 by a rate limit, by route (and plugin, for a rate-limit plugin)");
        _rateLimitPartitionCap = meter.CreateCounter<long>("higress_ratelimit_partition_cap_total", "{event}", "Times a rule's local rate limit reached its cap on keys (once per limiter), by route");
        meter.CreateObservableGauge("higress_plan_generation", () => Interlocked.Read(ref _generation), description: "Generation of the plan being served");
        meter.CreateObservableGauge("higress_config_errors", () => Interlocked.Read(ref _configErrors), description: "Configuration errors in the latest translation");
    }

    public void PlanApplied(long generation, int errors)
    {
        _plansApplied.Add(1);
        Interlocked.Exchange(ref _generation, generation);
        Interlocked.Exchange(ref _configErrors, errors);
    }

    public void PlanRejected() => _plansRejected.Add(1);

    /// <summary>Counts a request refused because <paramref name="limit"/> of <paramref name="clusterId"/> was full.</summary>
    public void UpstreamOverflow(string clusterId, string limit) =>
        _upstreamOverflow.Add(1, new KeyValuePair<string, object?>("cluster", clusterId), new KeyValuePair<string, object?>("limit", limit));

    /// <summary>Counts a request refused by the local rate limit of <paramref name="routeId"/>.</summary>
    public void RateLimitRejected(string routeId) => _rateLimitRejections.Add(1, new KeyValuePair<string, object?>("route", routeId));

    /// <summary>Counts a request of <paramref name="routeId"/> refused by the rate-limit plugin <paramref name="plugin"/>.</summary>
    public void RateLimitRejected(string routeId, string plugin) =>
        _rateLimitRejections.Add(1, new KeyValuePair<string, object?>("route", routeId), new KeyValuePair<string, object?>("plugin", plugin));

    /// <summary>Counts a rate limit of <paramref name="routeId"/> reaching its cap on keys.</summary>
    public void RateLimitPartitionCapReached(string routeId) => _rateLimitPartitionCap.Add(1, new KeyValuePair<string, object?>("route", routeId));
}
