using Higress.Core.Plan;
using Higress.Core.Resources;
using Higress.Core.Resources.Sources;
using Higress.Core.Translation;

namespace Higress.Core.Tests.Translation;

/// <summary>Route <c>retries</c> reach the plan; <c>retryOn</c> is read as Istio reads it; bad values are errors.</summary>
public sealed class RetryPoliciesTests
{
    private static RetryPlan? Plan(string retries)
    {
        var (parsed, result) = TimeoutsTests.Translate(TimeoutsTests.Route(retries));
        Assert.DoesNotContain(parsed.Diagnostics.Concat(result.Diagnostics), d => d.FieldPath.Contains("retries", StringComparison.Ordinal));
        return Assert.Single(result.Plan.Routes).Retry;
    }

    [Fact]
    public void Retries_reach_the_plan_and_are_no_longer_reported_as_not_enforced()
    {
        var plan = Plan("retries: {attempts: 3, perTryTimeout: 2s, retryOn: '5xx,reset'}");

        Assert.Equal(new RetryPlan(3, TimeSpan.FromSeconds(2), RetryConditions.ServerError | RetryConditions.Reset, EquatableArray<int>.Empty), plan);
    }

    [Theory]
    [InlineData("retries: {attempts: 0, retryOn: 5xx}")]
    [InlineData("timeout: 1s")]
    public void No_attempts_means_no_retries(string fields) => Assert.Null(Plan(fields));

    [Fact]
    public void An_unset_retryOn_is_Istios_default_with_503_retriable()
    {
        var plan = Plan("retries: {attempts: 2}")!;

        Assert.Equal(
            RetryConditions.ConnectFailure | RetryConditions.RefusedStream | RetryConditions.GrpcUnavailable | RetryConditions.GrpcCancelled | RetryConditions.RetriableStatusCodes,
            plan.On);
        Assert.Equal([503], plan.StatusCodes.ToArray());
        Assert.Null(plan.PerTryTimeout);
    }

    [Theory]
    [InlineData("5xx", RetryConditions.ServerError)]
    [InlineData("gateway-error", RetryConditions.GatewayError)]
    [InlineData("connect-failure,refused-stream", RetryConditions.ConnectFailure | RetryConditions.RefusedStream)]
    [InlineData("retriable-4xx", RetryConditions.Retriable4xx)]
    [InlineData(" 5xx , non-idempotent ", RetryConditions.ServerError | RetryConditions.NonIdempotent)]
    [InlineData("deadline-exceeded,internal,resource-exhausted", RetryConditions.GrpcDeadlineExceeded | RetryConditions.GrpcInternal | RetryConditions.GrpcResourceExhausted)]
    public void Each_token_maps_to_its_condition(string retryOn, RetryConditions expected)
    {
        Assert.True(RetryPolicies.TryParseRetryOn(retryOn, out var on, out var codes, out var error));

        Assert.Equal(expected, on);
        Assert.Empty(codes);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("503,retriable-status-codes")]
    [InlineData("retriable-status-codes,503,429,503")]
    [InlineData("429,503")]
    public void Status_codes_may_be_written_directly_and_imply_retriable_status_codes(string retryOn)
    {
        Assert.True(RetryPolicies.TryParseRetryOn(retryOn, out var on, out var codes, out _));

        Assert.Equal(RetryConditions.RetriableStatusCodes, on);
        Assert.Equal(retryOn.Contains("429", StringComparison.Ordinal) ? [429, 503] : new[] { 503 }, codes.ToArray());
    }

    [Theory]
    [InlineData("5xx,sometimes", "'sometimes' is not a retry condition")]
    [InlineData("5xx,,reset", "has an empty condition")]
    [InlineData("700", "'700' is not a retry condition")]
    [InlineData("-5", "'-5' is not a retry condition")]
    public void An_unknown_token_is_an_error_naming_the_field_and_the_fix(string retryOn, string message)
    {
        var (parsed, _) = TimeoutsTests.Translate(TimeoutsTests.Route($"retries: {{attempts: 2, retryOn: '{retryOn}'}}"));

        var error = Assert.Single(parsed.Diagnostics, d => d.IsError);
        Assert.Equal("Route default/r", error.Object);
        Assert.Equal("spec.http[0].retries.retryOn", error.FieldPath);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("gateway-error", error.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("retries: {attempts: -1}", "spec.http[0].retries.attempts")]
    [InlineData("retries: {attempts: 2, perTryTimeout: -1s}", "spec.http[0].retries.perTryTimeout")]
    public void Negative_attempts_or_per_try_timeout_are_errors(string fields, string path)
    {
        var (parsed, _) = TimeoutsTests.Translate(TimeoutsTests.Route(fields));

        var error = Assert.Single(parsed.Diagnostics, d => d.IsError);
        Assert.Equal("Route default/r", error.Object);
        Assert.Equal(path, error.FieldPath);
    }

    [Fact]
    public void A_bad_retryOn_edit_keeps_the_previous_route_serving()
    {
        static ResourceSnapshot Read(string retryOn)
        {
            var parsed = Higress.Core.Resources.Parsing.ResourceParser.Parse(
                TimeoutsTests.Route($"retries: {{attempts: 2, retryOn: '{retryOn}'}}"), new ResourceOrigin("directory", "route.yaml", 0, 0));
            return new ResourceSnapshot(parsed.Resources, parsed.Diagnostics);
        }

        var kept = LastGoodRetention.Apply(Read("5xx"), Read("5xx,bogus"));

        Assert.Equal("5xx", kept.Get<Route>("default", "r")!.Spec.Http[0].Retries!.RetryOn);
        Assert.Contains(kept.Diagnostics, d => d.IsError && d.FieldPath == "spec.http[0].retries.retryOn");
    }
}
