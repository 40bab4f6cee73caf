using System.Diagnostics.Metrics;
using Higress.Core.Diagnostics;

namespace Higress.Hosting.Runtime;

/// <summary>The gateway's own metrics, on the <c>Higress</c> meter (exported by <c>/metrics</c>).</summary>
internal sealed class HigressMetrics
{
    private static readonly KeyValuePair<string, object?> Applied = new("result", "applied");
    private static readonly KeyValuePair<string, object?> Failed = new("result", "failed");
    private readonly Counter<long> _applies;
    private readonly Counter<long> _upstreamOverflow;
    private readonly Counter<long> _upstreamTlsFailures;
    private readonly Counter<long> _rateLimitRejections;
    private readonly Counter<long> _rateLimitPartitionCap;
    private long _generation;
    private long _configErrors;

    /// <param name="higressMeter">The host's meter.</param>
    /// <param name="prometheus">
    /// The admin <c>/metrics</c> listener, taken here only so that it exists before the first plan is applied: a
    /// listener sees no measurement made before it started, and /metrics must count from the host's start. Null only
    /// where no /metrics is served (a plugin's unit test).
    /// </param>
    public HigressMetrics(HigressMeter higressMeter, Admin.PrometheusText? prometheus = null)
    {
        _ = prometheus;
        var meter = higressMeter.Meter;
        _applies = meter.CreateCounter<long>(MetricNames.ConfigApplies, "{apply}", "Configuration applies by result: applied, or failed (the previous plan kept serving)");
        _upstreamOverflow = meter.CreateCounter<long>(MetricNames.UpstreamOverflow, "{request}", "Requests refused with 503 because a cluster's connection-pool limit was full, by cluster and limit");
        _upstreamTlsFailures = meter.CreateCounter<long>(MetricNames.UpstreamTlsFailures, "{handshake}", "TLS handshakes toward upstreams that failed, by cluster and reason (untrusted, name, handshake, material, alpn)");
        _rateLimitRejections = meter.CreateCounter<long>(MetricNames.RateLimitRejections, "{request}", "Requests refused with 429 by a rate limit, by route (and plugin, for a rate-limit plugin)");
        _rateLimitPartitionCap = meter.CreateCounter<long>(MetricNames.RateLimitPartitionCap, "{event}", "Times a rule's local rate limit reached its cap on keys (once per limiter), by route");
        meter.CreateObservableGauge(MetricNames.ConfigRevision, () => Interlocked.Read(ref _generation), "{revision}", "Revision (plan generation) of the configuration being served");
        meter.CreateObservableGauge(MetricNames.ConfigErrors, () => Interlocked.Read(ref _configErrors), "{error}", "Configuration errors in the latest translation");
    }

    public void PlanApplied(long generation, int errors)
    {
        _applies.Add(1, Applied);
        Interlocked.Exchange(ref _generation, generation);
        Interlocked.Exchange(ref _configErrors, errors);
    }

    public void PlanRejected() => _applies.Add(1, Failed);

    /// <summary>Counts a request refused because <paramref name="limit"/> of <paramref name="clusterId"/> was full.</summary>
    public void UpstreamOverflow(string clusterId, string limit) =>
        _upstreamOverflow.Add(1, new KeyValuePair<string, object?>("cluster", clusterId), new KeyValuePair<string, object?>("limit", limit));

    /// <summary>Counts a failed TLS handshake toward an upstream of <paramref name="clusterId"/>.</summary>
    public void UpstreamTlsFailed(string clusterId, string reason) =>
        _upstreamTlsFailures.Add(1, new KeyValuePair<string, object?>("cluster", clusterId), new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Counts a request refused by the local rate limit of <paramref name="routeId"/>.</summary>
    public void RateLimitRejected(string routeId) => _rateLimitRejections.Add(1, new KeyValuePair<string, object?>("route", routeId));

    /// <summary>Counts a request of <paramref name="routeId"/> refused by the rate-limit plugin <paramref name="plugin"/>.</summary>
    public void RateLimitRejected(string routeId, string plugin) =>
        _rateLimitRejections.Add(1, new KeyValuePair<string, object?>("route", routeId), new KeyValuePair<string, object?>("plugin", plugin));

    /// <summary>Counts a rate limit of <paramref name="routeId"/> reaching its cap on keys.</summary>
    public void RateLimitPartitionCapReached(string routeId) => _rateLimitPartitionCap.Add(1, new KeyValuePair<string, object?>("route", routeId));
}
