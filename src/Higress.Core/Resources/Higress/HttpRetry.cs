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

    /// <summary>Comma-separated conditions: <c>5xx</c>, <c>gateway-error</c>, <c>reset</c>, <c>connect-failure</c>, <c>retriable-status-codes</c>, or status codes.</summary>
    public string? RetryOn { get; init; }
}
