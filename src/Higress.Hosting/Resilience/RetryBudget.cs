using Higress.Core.Plan;
using Higress.Core.Policies;
using Microsoft.Extensions.Options;

namespace Higress.Hosting.Resilience;

/// <summary>
/// A cluster's retry budget (Envoy's <c>retry_budget</c>): retries in flight at once are at most
/// max(<c>MinConcurrency</c>, <c>BudgetPercent</c>% of the cluster's active requests), and never more than the
/// cluster's <c>connectionPool.http.maxRetries</c>. A retry holds its place from the decision to retry until its try ends.
/// </summary>
internal sealed class RetryBudget(int? maxRetries, HigressRetryOptions settings)
{
    private int _inFlight;

    /// <summary>Retries to the cluster in flight now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Takes a place for one retry; false when the budget is spent (then nothing is held).</summary>
    /// <param name="activeRequests">The cluster's requests in flight now.</param>
    public bool TryAcquire(int activeRequests)
    {
        var limit = Math.Max(settings.MinConcurrency, (int)(activeRequests * settings.BudgetPercent / 100));
        if (maxRetries is { } cap && cap < limit)
        {
            limit = cap;
        }

        if (Interlocked.Increment(ref _inFlight) <= limit)
        {
            return true;
        }

        Interlocked.Decrement(ref _inFlight);
        return false;
    }

    /// <summary>Gives back the place <see cref="TryAcquire"/> took.</summary>
    public void Release() => Interlocked.Decrement(ref _inFlight);
}

/// <summary>Gives every cluster a <see cref="RetryBudget"/>; rules that retry find it on <c>ClusterRuntime</c>.</summary>
internal sealed class RetryBudgetFactory(IOptions<HigressOptions> options) : IClusterPolicyFactory
{
    public const string PolicyName = "retry-budget";

    public string Name => PolicyName;

    public object? Create(ClusterPlan cluster) => new RetryBudget(cluster.ConnectionPool?.MaxRetries, options.Value.Retries);
}
