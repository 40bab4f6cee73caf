using Higress.Core.Plan;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;
using Higress.Core.Translation;

namespace Higress.Core.Tests.Plan;

/// <summary>
/// ServiceEntry <c>outlierDetection</c> and <c>healthCheck</c> become the cluster's <see cref="OutlierPlan"/> and
/// <see cref="HealthCheckPlan"/> with Istio's defaults; bad values are errors naming object, field and fix.
/// </summary>
public sealed class OutlierPlanTests
{
    private static (ParseResult Parsed, TranslationResult Result) Translate(string policy)
    {
        var yaml = $$$"""
            apiVersion: networking.higress.io/v1alpha1
            kind: ServiceEntry
            metadata: {name: ext}
            spec:
              hosts: [api.internal]
              ports: [{number: 80}]
              endpoints: [{address: 127.0.0.1}, {address: 127.0.0.2}]
              trafficPolicy: {{{policy}}}
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: r}
            spec:
              http:
              - route: [{destination: {host: api.internal, port: 80}}]
            """;
        var parsed = ResourceParser.Parse(yaml, new ResourceOrigin("test", "test.yaml", 0, 0));
        return (parsed, Translator.Translate(new ResourceSnapshot(parsed.Resources, parsed.Diagnostics)));
    }

    [Fact]
    public void An_empty_outlierDetection_gets_Istios_defaults()
    {
        var cluster = Assert.Single(Translate("{outlierDetection: {}}").Result.Plan.Clusters);

        Assert.Equal(new OutlierPlan(5, null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), 10), cluster.OutlierDetection);
        Assert.Null(cluster.HealthCheck);
    }

    [Fact]
    public void Every_outlier_field_reaches_the_plan_and_zero_turns_a_trigger_off()
    {
        var cluster = Assert.Single(Translate("{outlierDetection: {consecutive5xxErrors: 0, consecutiveGatewayErrors: 2, interval: 1s, baseEjectionTime: 5s, maxEjectionPercent: 50}}").Result.Plan.Clusters);

        Assert.Equal(new OutlierPlan(null, 2, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), 50), cluster.OutlierDetection);
        Assert.Null(Assert.Single(Translate("{outlierDetection: {consecutive5xxErrors: 0}}").Result.Plan.Clusters).OutlierDetection);
    }

    [Fact]
    public void A_healthCheck_reaches_the_plan_with_its_defaults()
    {
        var cluster = Assert.Single(Translate("{healthCheck: {path: /healthz, unhealthyThreshold: 2}}").Result.Plan.Clusters);

        Assert.Equal(new HealthCheckPlan("/healthz", TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), 1, 2), cluster.HealthCheck);
    }

    [Fact]
    public void Outlier_fields_the_runtime_does_not_act_on_are_reported_and_the_enforced_ones_are_not()
    {
        var (_, result) = Translate("{outlierDetection: {consecutive5xxErrors: 3, minHealthPercent: 50, splitExternalLocalOriginErrors: true, consecutiveLocalOriginFailures: 2}, healthCheck: {path: /}}");

        var reported = result.Diagnostics.Where(d => d.Message.Contains("not enforced", StringComparison.Ordinal)).Select(d => d.FieldPath).Order().ToArray();
        Assert.Equal(
            [
                "spec.trafficPolicy.outlierDetection.consecutiveLocalOriginFailures",
                "spec.trafficPolicy.outlierDetection.minHealthPercent",
                "spec.trafficPolicy.outlierDetection.splitExternalLocalOriginErrors",
            ],
            reported);
    }

    [Theory]
    [InlineData("{outlierDetection: {maxEjectionPercent: 150}}", "spec.trafficPolicy.outlierDetection.maxEjectionPercent", "at most 100")]
    [InlineData("{outlierDetection: {consecutive5xxErrors: -1}}", "spec.trafficPolicy.outlierDetection.consecutive5xxErrors", "at least 0")]
    [InlineData("{outlierDetection: {consecutiveGatewayErrors: -2}}", "spec.trafficPolicy.outlierDetection.consecutiveGatewayErrors", "at least 0")]
    [InlineData("{outlierDetection: {baseEjectionTime: 0s}}", "spec.trafficPolicy.outlierDetection.baseEjectionTime", "above zero")]
    [InlineData("{outlierDetection: {interval: 0ms}}", "spec.trafficPolicy.outlierDetection.interval", "above zero")]
    [InlineData("{healthCheck: {interval: 0s}}", "spec.trafficPolicy.healthCheck.interval", "above zero")]
    [InlineData("{healthCheck: {timeout: 0s}}", "spec.trafficPolicy.healthCheck.timeout", "above zero")]
    [InlineData("{healthCheck: {path: healthz}}", "spec.trafficPolicy.healthCheck.path", "/healthz")]
    [InlineData("{healthCheck: {unhealthyThreshold: 0}}", "spec.trafficPolicy.healthCheck.unhealthyThreshold", "at least 1")]
    public void A_bad_value_is_an_error_naming_object_field_and_fix(string policy, string field, string fix)
    {
        var (parsed, _) = Translate(policy);

        var error = Assert.Single(parsed.Diagnostics, d => d.IsError);
        Assert.Equal("ServiceEntry default/ext", error.Object);
        Assert.Equal(field, error.FieldPath);
        Assert.Contains(fix, error.Fix, StringComparison.Ordinal);
    }
}
