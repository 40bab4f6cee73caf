using System.Globalization;
using Higress.Core.Plan;
using Higress.Core.Resources;

namespace Higress.Core.Translation;

/// <summary>Turns a rule's <c>retries</c> into a <see cref="RetryPlan"/>; <c>retryOn</c> is read as Istio reads it.</summary>
internal static class RetryPolicies
{
    /// <summary>Istio's policy when <c>retryOn</c> is unset: these conditions, with 503 as the retriable status.</summary>
    public const string IstioDefault = "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes,503";

    /// <summary>The tokens <c>retryOn</c> accepts besides status codes, for error messages.</summary>
    public const string Accepted = "5xx, gateway-error, reset, connect-failure, retriable-4xx, refused-stream, retriable-status-codes, "
        + "cancelled, deadline-exceeded, internal, resource-exhausted, unavailable, non-idempotent, or a status code 100..599";

    private static readonly Dictionary<string, RetryConditions> Tokens = new(StringComparer.Ordinal)
    {
        ["5xx"] = RetryConditions.ServerError,
        ["gateway-error"] = RetryConditions.GatewayError,
        ["reset"] = RetryConditions.Reset,
        ["connect-failure"] = RetryConditions.ConnectFailure,
        ["retriable-4xx"] = RetryConditions.Retriable4xx,
        ["refused-stream"] = RetryConditions.RefusedStream,
        ["retriable-status-codes"] = RetryConditions.RetriableStatusCodes,
        ["cancelled"] = RetryConditions.GrpcCancelled,
        ["deadline-exceeded"] = RetryConditions.GrpcDeadlineExceeded,
        ["internal"] = RetryConditions.GrpcInternal,
        ["resource-exhausted"] = RetryConditions.GrpcResourceExhausted,
        ["unavailable"] = RetryConditions.GrpcUnavailable,
        ["non-idempotent"] = RetryConditions.NonIdempotent,
    };

    /// <summary>The plan for <paramref name="retries"/>, or null when the rule does not retry (unset, or 0 attempts).</summary>
    public static RetryPlan? Plan(HttpRetry? retries)
    {
        if (retries is not { Attempts: > 0 } || !TryParseRetryOn(retries.RetryOn, out var on, out var codes, out _))
        {
            return null;
        }

        return new RetryPlan(retries.Attempts, Timeouts.Enabled(retries.PerTryTimeout), on, codes);
    }

    /// <summary>
    /// Parses a comma-separated <c>retryOn</c> (null or blank: <see cref="IstioDefault"/>). Status codes may be written
    /// directly and imply <c>retriable-status-codes</c>, as in Istio. Returns false with <paramref name="error"/> naming
    /// the first token that is not understood.
    /// </summary>
    public static bool TryParseRetryOn(string? value, out RetryConditions on, out EquatableArray<int> codes, out string? error)
    {
        on = RetryConditions.None;
        codes = EquatableArray<int>.Empty;
        error = null;
        var list = new List<int>();
        foreach (var raw in (string.IsNullOrWhiteSpace(value) ? IstioDefault : value).Split(','))
        {
            var token = raw.Trim();
            if (Tokens.TryGetValue(token, out var condition))
            {
                on |= condition;
            }
            else if (int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 100 and <= 599)
            {
                list.Add(code);
                on |= RetryConditions.RetriableStatusCodes;
            }
            else
            {
                error = token.Length == 0 ? "has an empty condition" : $"'{token}' is not a retry condition";
                return false;
            }
        }

        codes = list.Distinct().Order().ToEquatableArray();
        return true;
    }
}
