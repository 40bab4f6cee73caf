using Higress.Core.Resources;

namespace Higress.Core.Plan;

/// <summary>A rule's retry policy (native Route <c>retries</c>, Istio <c>HTTPRetry</c>).</summary>
/// <param name="Attempts">Retries after the first try (at least 1; a rule with 0 has no plan).</param>
/// <param name="PerTryTimeout">The deadline of each try, or null for none (the whole-request timeout still applies).</param>
/// <param name="On">The outcomes that are retried.</param>
/// <param name="StatusCodes">The statuses retried under <see cref="RetryConditions.RetriableStatusCodes"/>.</param>
public sealed record RetryPlan(int Attempts, TimeSpan? PerTryTimeout, RetryConditions On, EquatableArray<int> StatusCodes);

/// <summary>The <c>retryOn</c> conditions (Envoy's names).</summary>
[Flags]
public enum RetryConditions
{
    /// <summary>Nothing is retried.</summary>
    None = 0,

    /// <summary><c>5xx</c>: any 5xx status, a reset, a connect failure or a per-try timeout.</summary>
    ServerError = 1 << 0,

    /// <summary><c>gateway-error</c>: 502, 503, 504, a connect failure or a per-try timeout.</summary>
    GatewayError = 1 << 1,

    /// <summary><c>reset</c>: the connection broke before response headers arrived (or a per-try timeout).</summary>
    Reset = 1 << 2,

    /// <summary><c>connect-failure</c>: the connection could not be opened.</summary>
    ConnectFailure = 1 << 3,

    /// <summary><c>retriable-4xx</c>: 409 Conflict.</summary>
    Retriable4xx = 1 << 4,

    /// <summary><c>refused-stream</c>: the upstream refused the stream; treated as <see cref="Reset"/>.</summary>
    RefusedStream = 1 << 5,

    /// <summary><c>retriable-status-codes</c>: the statuses listed in <c>retryOn</c>.</summary>
    RetriableStatusCodes = 1 << 6,

    /// <summary><c>cancelled</c>: gRPC status 1 in the response headers.</summary>
    GrpcCancelled = 1 << 7,

    /// <summary><c>deadline-exceeded</c>: gRPC status 4.</summary>
    GrpcDeadlineExceeded = 1 << 8,

    /// <summary><c>internal</c>: gRPC status 13.</summary>
    GrpcInternal = 1 << 9,

    /// <summary><c>resource-exhausted</c>: gRPC status 8.</summary>
    GrpcResourceExhausted = 1 << 10,

    /// <summary><c>unavailable</c>: gRPC status 14.</summary>
    GrpcUnavailable = 1 << 11,

    /// <summary><c>non-idempotent</c> (a Higress.Net addition): POST, PATCH and CONNECT are retried too.</summary>
    NonIdempotent = 1 << 12,
}
