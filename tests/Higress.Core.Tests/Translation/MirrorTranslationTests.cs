using Higress.Core.Plan;

namespace Higress.Core.Tests.Translation;

/// <summary>Route <c>mirror</c> and HTTPRoute <c>RequestMirror</c> reach the plan as resolved clusters and shares.</summary>
public sealed class MirrorTranslationTests
{
    private static string HttpRoute(string filters) => $$$"""
        apiVersion: v1
        kind: Service
        metadata: {name: shadow}
        spec: {ports: [{port: 81}]}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: web}
        spec:
          parentRefs: [{group: networking.higress.io, kind: Gateway, name: gw}]
          rules:
          - backendRefs: [{name: up, port: 80}]
            filters: {{{filters}}}
        """;

    [Theory]
    [InlineData("mirror: {host: up, port: 80}", 100.0)]
    [InlineData("mirror: {host: up, port: 80}\n    mirrorPercentage: {value: 2.5}", 2.5)]
    public void A_native_mirror_is_a_resolved_cluster_with_its_share(string fields, double percent)
    {
        var (_, result) = TimeoutsTests.Translate(TimeoutsTests.Route(fields));

        var mirror = Assert.Single(Assert.Single(result.Plan.Routes).Mirrors);
        Assert.Equal(new MirrorPlan("default/up:80", percent), mirror);
        Assert.Contains(result.Plan.Clusters, c => c.Id == mirror.ClusterId);
        Assert.DoesNotContain(result.Statuses.SelectMany(s => s.Conditions), c => c.Type == "Enforced");
    }

    [Fact]
    public void An_unknown_mirror_host_is_an_error_and_the_rule_still_forwards()
    {
        var (_, result) = TimeoutsTests.Translate(TimeoutsTests.Route("mirror: {host: nowhere, port: 80}"));

        var rule = Assert.Single(result.Plan.Routes);
        Assert.Empty(rule.Mirrors);
        Assert.IsType<ForwardAction>(rule.Action);
        Assert.Contains(result.Diagnostics, d => d.IsError && d.FieldPath == "spec.http[0].mirror");
    }

    [Fact]
    public void HTTPRoute_RequestMirror_filters_give_one_mirror_each_with_percent_or_fraction()
    {
        var (_, result) = TimeoutsTests.Translate(HttpRoute("""

                - {type: RequestMirror, requestMirror: {backendRef: {name: shadow, port: 81}, percent: 30}}
                - {type: RequestMirror, requestMirror: {backendRef: {name: up, port: 80}, fraction: {numerator: 1, denominator: 8}}}
                - {type: RequestMirror, requestMirror: {backendRef: {name: up, port: 80}}}
            """));

        var rule = Assert.Single(result.Plan.Routes);
        Assert.Equal([new MirrorPlan("default/shadow:81", 30), new MirrorPlan("default/up:80", 12.5), new MirrorPlan("default/up:80", 100)], rule.Mirrors.ToArray());
        Assert.DoesNotContain(result.Diagnostics, d => d.IsError);
    }

    [Theory]
    [InlineData("percent: 5, fraction: {numerator: 1}", "fraction")]
    [InlineData("fraction: {numerator: 3, denominator: 2}", "fraction.numerator")]
    public void Contradictory_or_impossible_shares_are_errors(string share, string field)
    {
        var (parsed, _) = TimeoutsTests.Translate(HttpRoute($$"""

                - {type: RequestMirror, requestMirror: {backendRef: {name: up, port: 80}, {{share}} } }
            """));

        Assert.Contains(parsed.Diagnostics, d => d.IsError && d.FieldPath == $"spec.rules[0].filters[0].requestMirror.{field}");
    }
}
