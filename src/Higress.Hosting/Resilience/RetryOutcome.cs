using System.Net;
using Microsoft.AspNetCore.Http;
using Higress.Core.Plan;
using Polly.Timeout;

namespace Higress.Hosting.Resilience;

/// <summary>Whether a try's outcome is retried under a rule's <c>retryOn</c>, with Envoy's meaning of each condition.</summary>
internal static class RetryOutcome
{
    // Envoy retries every kind of reset under 5xx, gateway-error and reset; refused-stream is read as reset here.
    private const RetryConditions OnReset = RetryConditions.ServerError | RetryConditions.GatewayError | RetryConditions.Reset | RetryConditions.RefusedStream;
    private const RetryConditions OnConnectFailure = OnReset | RetryConditions.ConnectFailure;
    private const RetryConditions OnTimeout = RetryConditions.ServerError | RetryConditions.GatewayError | RetryConditions.Reset;

    /// <summary>True when a try that ended with <paramref name="response"/> or <paramref name="error"/> may be retried.</summary>
    public static bool IsRetriable(RetryPlan plan, HttpResponseMessage? response, Exception? error) =>
        response is not null ? IsRetriable(plan, response) : (plan.On & Conditions(error)) != 0;

    /// <summary>The methods Envoy retries without being told: those that change nothing more when repeated.</summary>
    public static bool IsIdempotent(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)
        || HttpMethods.IsTrace(method) || HttpMethods.IsPut(method) || HttpMethods.IsDelete(method);

    private static bool IsRetriable(RetryPlan plan, HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var on = plan.On;
        return (status >= 500 && (on & RetryConditions.ServerError) != 0)
            || (status is 502 or 503 or 504 && (on & RetryConditions.GatewayError) != 0)
            || (response.StatusCode == HttpStatusCode.Conflict && (on & RetryConditions.Retriable4xx) != 0)
            || ((on & RetryConditions.RetriableStatusCodes) != 0 && plan.StatusCodes.Contains(status))
            || (on & GrpcCondition(response)) != 0;
    }

    private static RetryConditions Conditions(Exception? error) => error switch
    {
        TimeoutRejectedException => OnTimeout,
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } => OnConnectFailure,
        HttpRequestException or IOException => OnReset,

        // SocketsHttpHandler's ConnectTimeout ends a connect this way; a cancellation by the client or the whole-request
        // deadline is filtered out before the outcome is looked at.
        OperationCanceledException { InnerException: TimeoutException } => OnConnectFailure,
        _ => RetryConditions.None,
    };

    // A trailers-only gRPC answer carries its status in the headers.
    private static RetryConditions GrpcCondition(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("grpc-status", out var values))
        {
            return RetryConditions.None;
        }

        return values.FirstOrDefault() switch
        {
            "1" => RetryConditions.GrpcCancelled,
            "4" => RetryConditions.GrpcDeadlineExceeded,
            "8" => RetryConditions.GrpcResourceExhausted,
            "13" => RetryConditions.GrpcInternal,
            "14" => RetryConditions.GrpcUnavailable,
            _ => RetryConditions.None,
        };
    }
}
