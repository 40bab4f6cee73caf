using Higress.Core.Plan;
using static Higress.Core.Tests.Translation.TimeoutsTests;

namespace Higress.Core.Tests.Plan;

/// <summary>A Route's <c>fault</c> becomes the rule's <see cref="FaultPlan"/> (Istio defaults); bad values are errors.</summary>
public sealed class FaultPlanTests
{
    [Theory]
    [InlineData("fault: {delay: {fixedDelay: 2s, percentage: {value: 5}}}", 2.0, 5.0, null, 100.0)]
    [InlineData("fault: {abort: {httpStatus: 503, percentage: {value: 0.5}}}", null, 100.0, 503, 0.5)]
    [InlineData("fault: {delay: {fixedDelay: 1s}, abort: {httpStatus: 429}}", 1.0, 100.0, 429, 100.0)]
    public void A_fault_reaches_the_plan_with_a_default_percentage_of_100(string field, double? delay, double delayPercent, int? status, double abortPercent)
    {
        var (_, result) = Translate(Route(field));

        var rule = Assert.Single(result.Plan.Routes);
        Assert.Equal(new FaultPlan(delay is null ? null : TimeSpan.FromSeconds(delay.Value), delayPercent, status, abortPercent), rule.Fault);
        Assert.DoesNotContain(result.Diagnostics, d => d.FieldPath.Contains("fault", StringComparison.Ordinal));
    }

    [Fact]
    public void An_empty_fault_is_no_fault()
    {
        var (_, result) = Translate(Route("fault: {}"));

        Assert.Null(Assert.Single(result.Plan.Routes).Fault);
    }

    [Theory]
    [InlineData("fault: {abort: {httpStatus: 503, percentage: {value: 150}}}", "spec.http[0].fault.abort.percentage.value")]
    [InlineData("fault: {delay: {fixedDelay: 1s, percentage: {value: -1}}}", "spec.http[0].fault.delay.percentage.value")]
    [InlineData("fault: {delay: {fixedDelay: -1s}}", "spec.http[0].fault.delay.fixedDelay")]
    [InlineData("fault: {delay: {fixedDelay: later}}", "spec.http[0].fault.delay.fixedDelay")]
    [InlineData("fault: {delay: {percentage: {value: 5}}}", "spec.http[0].fault.delay.fixedDelay")]
    [InlineData("fault: {abort: {httpStatus: 99}}", "spec.http[0].fault.abort.httpStatus")]
    [InlineData("fault: {abort: {percentage: {value: 5}}}", "spec.http[0].fault.abort.httpStatus")]
    public void A_bad_fault_is_an_error_naming_object_field_and_fix(string field, string path)
    {
        var (parsed, _) = Translate(Route(field));

        var error = Assert.Single(parsed.Diagnostics, d => d.IsError);
        Assert.Equal("Route default/r", error.Object);
        Assert.Equal(path, error.FieldPath);
        Assert.False(string.IsNullOrEmpty(error.Fix), error.ToString());
    }
}
