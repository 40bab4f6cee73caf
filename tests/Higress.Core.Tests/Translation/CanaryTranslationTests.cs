using Higress.Core.Plan;

namespace Higress.Core.Tests.Translation;

/// <summary>A native rule's <c>canary</c> reaches the plan beside its backends; contradictions are errors.</summary>
public sealed class CanaryTranslationTests
{
    [Fact]
    public void A_canary_is_resolved_into_the_forward_action()
    {
        var (parsed, result) = TimeoutsTests.Translate(TimeoutsTests.Route("""
            canary: {route: [{destination: {host: up, port: 80}, weight: 1}], byHeader: x-canary, byHeaderValue: "yes", byCookie: c, weight: 5, weightTotal: 50}
            """));

        Assert.DoesNotContain(parsed.Diagnostics.Concat(result.Diagnostics), d => d.IsError);
        var forward = Assert.IsType<ForwardAction>(Assert.Single(result.Plan.Routes).Action);
        var canary = Assert.IsType<CanaryPlan>(forward.Canary);
        Assert.Equal("default/up:80", Assert.Single(canary.Backends).ClusterId);
        Assert.Equal(("x-canary", "yes", (string?)null, "c", 5, 50), (canary.Header, canary.HeaderValue, canary.HeaderPattern, canary.Cookie, canary.Weight, canary.WeightTotal));
    }

    [Fact]
    public void WeightTotal_defaults_to_100()
    {
        var (_, result) = TimeoutsTests.Translate(TimeoutsTests.Route("canary: {route: [{destination: {host: up, port: 80}}], weight: 20}"));

        var canary = Assert.IsType<ForwardAction>(Assert.Single(result.Plan.Routes).Action).Canary!;
        Assert.Equal((20, 100), (canary.Weight, canary.WeightTotal));
    }

    [Fact]
    public void An_unknown_canary_host_is_an_error_on_its_field()
    {
        var (_, result) = TimeoutsTests.Translate(TimeoutsTests.Route("canary: {route: [{destination: {host: nowhere, port: 80}}], weight: 20}"));

        Assert.Contains(result.Diagnostics, d => d.IsError && d.FieldPath == "spec.http[0].canary.route[0].destination");
    }

    [Theory]
    [InlineData("byHeaderValue: v2", "canary.byHeaderValue", "set byHeader")]
    [InlineData("byHeaderPattern: 'v.*'", "canary.byHeaderPattern", "set byHeader")]
    [InlineData("byHeader: x, byHeaderValue: a, byHeaderPattern: b", "canary.byHeaderPattern", "keep one of")]
    [InlineData("weight: 101", "canary.weight", "lower weight or raise weightTotal")]
    [InlineData("weight: 5, weightTotal: 4", "canary.weight", "lower weight or raise weightTotal")]
    [InlineData("weight: -1", "canary.weight", "")]
    [InlineData("weightTotal: 0", "canary.weightTotal", "")]
    [InlineData("byHeader: x, byHeaderPattern: '(unclosed'", "canary.byHeaderPattern", "")]
    public void Contradictions_and_bad_values_are_errors_naming_the_field(string fields, string field, string fix)
    {
        var (parsed, _) = TimeoutsTests.Translate(TimeoutsTests.Route($"canary: {{route: [{{destination: {{host: up, port: 80}}}}], {fields}}}"));

        var error = Assert.Single(parsed.Diagnostics, d => d.IsError && d.FieldPath == "spec.http[0]." + field);
        Assert.Contains(fix, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{weight: 5}", "spec.http[0].canary.route")]
    [InlineData("{route: [{destination: {host: up, port: 80}}], weight: 5}", "spec.http[0].canary")]
    public void A_canary_without_destinations_or_without_the_rule_route_is_an_error(string canary, string field)
    {
        var (parsed, _) = TimeoutsTests.Translate($$"""
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: r}
            spec:
              http:
              - directResponse: {status: 200}
                canary: {{canary}}
            """);

        Assert.Contains(parsed.Diagnostics, d => d.IsError && d.FieldPath == field);
    }
}
