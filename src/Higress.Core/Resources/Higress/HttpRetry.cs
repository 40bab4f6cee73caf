using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>A retry policy (Istio <c>HTTPRetry</c>).</summary>
public sealed record HttpRetry
{
    /// <summary>Retries after the first try (≥ 0).</summary>
    [Range(0, 100)]
    public int Attempts { get; init; }

    /// <summary>The timeout of each try, e.g. <c>2s</c>.</summary>
    public TimeSpan? PerTryTimeout { get; init; }

    /// <summary>
    /// Comma-separated conditions (Envoy's names): <c>5xx</c>, <c>gateway-error</c>, <c>reset</c>, <c>connect-failure</c>,
    /// <c>retriable-4xx</c>, <c>refused-stream</c>, <c>retriable-status-codes</c> with status codes, the gRPC
    /// <c>cancelled</c>, <c>deadline-exceeded</c>, <c>internal</c>, <c>resource-exhausted</c>, <c>unavailable</c>, and
    /// <c>non-idempotent</c>; unset = Istio's default.
    /// </summary>
    public string? RetryOn { get; init; }
}
