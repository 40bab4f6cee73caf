using System.Diagnostics.Metrics;
using Higress.Core.Diagnostics;

namespace Higress.Hosting.Resilience;

/// <summary>The retry counters on the <c>Higress</c> meter, tagged with the cluster.</summary>
internal sealed class RetryMetrics(HigressMeter meter)
{
    private readonly Counter<long> _retries = meter.Meter.CreateCounter<long>(
        MetricNames.UpstreamRetries, "{request}", "Retries sent to upstreams (tries after the first)");

    private readonly Counter<long> _budgetExhausted = meter.Meter.CreateCounter<long>(
        MetricNames.UpstreamRetryBudgetExhausted, "{request}", "Retries not sent because the cluster's retry budget was spent; the last outcome went to the client");

    public void Retried(string cluster) => _retries.Add(1, new KeyValuePair<string, object?>("cluster", cluster));

    public void BudgetExhausted(string cluster) => _budgetExhausted.Add(1, new KeyValuePair<string, object?>("cluster", cluster));
}
