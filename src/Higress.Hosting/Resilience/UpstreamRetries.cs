using Higress.Core.Plan;
using Microsoft.Extensions.Logging;

namespace Higress.Hosting.Resilience;

/// <summary>Makes each rule's <see cref="IUpstreamRetry"/> when a plan is applied.</summary>
internal sealed class UpstreamRetries(RetryMetrics metrics, ILogger<UpstreamRetry> logger, TimeProvider time)
{
    /// <summary>
    /// The retry policy of <paramref name="route"/>, or null when it does not retry. With retries, HTTPRoute
    /// <c>timeouts.backendRequest</c> bounds each try (Gateway API semantics) unless <c>perTryTimeout</c> is set.
    /// </summary>
    public IUpstreamRetry? Create(RoutePlan route) =>
        route.Retry is { } plan ? new UpstreamRetry(plan, plan.PerTryTimeout ?? route.BackendTimeout, metrics, logger, time) : null;
}
