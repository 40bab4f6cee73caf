using Higress.Core.Plan;
using System.Text.RegularExpressions;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;
using Higress.Core.Tests.Resources;
using Higress.Core.Translation;

namespace Higress.Core.Tests.Translation;

/// <summary>Route <c>timeout</c> and HTTPRoute <c>timeouts</c> reach the plan (zero disables); bad values are errors.</summary>
public sealed class TimeoutsTests
{
    private const string Objects = """
        apiVersion: networking.higress.io/v1alpha1
        kind: Gateway
        metadata: {name: gw}
        spec:
          listeners: [{protocol: HTTP, port: 8080}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: up}
        spec: {ports: [{port: 80}]}
        ---

        """;

    internal static (ParseResult Parsed, TranslationResult Result) Translate(string yaml)
    {
        var parsed = ResourceParser.Parse(Objects + yaml, new ResourceOrigin("test", "test.yaml", 0, 0));
        return (parsed, Translator.Translate(new ResourceSnapshot(parsed.Resources, parsed.Diagnostics)));
    }

    internal static string Route(string fields) => $$$"""
        apiVersion: networking.higress.io/v1alpha1
        kind: Route
        metadata: {name: r}
        spec:
          http:
          - route: [{destination: {host: up, port: 80}}]
            {{{fields}}}
        """;

    private static string HttpRoute(string timeouts) => $$$"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: web}
        spec:
          parentRefs: [{group: networking.higress.io, kind: Gateway, name: gw}]
          rules:
          - backendRefs: [{name: up, port: 80}]
            timeouts: {{{timeouts}}}
        """;

    private static RoutePlan Rule(TranslationResult result) => Assert.Single(result.Plan.Routes);

    [Theory]
    [InlineData("timeout: 1s", 1.0)]
    [InlineData("timeout: 1m30s", 90.0)]
    [InlineData("timeout: 0s", null)]
    [InlineData("timeout: '0'", null)]
    [InlineData("", null)]
    public void A_route_timeout_reaches_the_plan_and_zero_disables_it(string field, double? seconds)
    {
        var (_, result) = Translate(Route(field));

        Assert.Equal(seconds is null ? null : TimeSpan.FromSeconds(seconds.Value), Rule(result).Timeout);
        Assert.DoesNotContain(result.Diagnostics, d => d.FieldPath.EndsWith(".timeout", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{request: 10s, backendRequest: 2s}", 10.0, 2.0)]
    [InlineData("{request: 0s, backendRequest: 2s}", null, 2.0)]
    [InlineData("{request: 3s, backendRequest: 0s}", 3.0, null)]
    [InlineData("{}", null, null)]
    public void HTTPRoute_timeouts_reach_the_plan_and_zero_disables_them(string timeouts, double? request, double? backend)
    {
        var (_, result) = Translate(HttpRoute(timeouts));

        var rule = Rule(result);
        Assert.Equal(request is null ? null : TimeSpan.FromSeconds(request.Value), rule.Timeout);
        Assert.Equal(backend is null ? null : TimeSpan.FromSeconds(backend.Value), rule.BackendTimeout);
        Assert.DoesNotContain(result.Diagnostics, d => d.FieldPath.Contains("timeouts", StringComparison.Ordinal));
    }

    [Fact]
    public void A_backend_timeout_longer_than_the_request_timeout_is_an_error_and_bounded_by_it()
    {
        var (_, result) = Translate(HttpRoute("{request: 2s, backendRequest: 5s}"));

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal("HTTPRoute default/web", error.Object);
        Assert.Equal("spec.rules[0].timeouts.backendRequest", error.FieldPath);
        Assert.Contains("at most request", error.Fix, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(2), Rule(result).BackendTimeout);
    }

    [Theory]
    [InlineData("timeout: -1s", "spec.http[0].timeout")]
    [InlineData("timeout: soon", "spec.http[0].timeout")]
    [InlineData("timeout: 10", "spec.http[0].timeout")]
    public void A_bad_route_timeout_is_an_error_naming_object_field_and_fix(string field, string path)
    {
        var (parsed, _) = Translate(Route(field));

        var error = Assert.Single(parsed.Diagnostics, d => d.IsError);
        Assert.Equal("Route default/r", error.Object);
        Assert.Equal(path, error.FieldPath);
        Assert.Equal(DurationParser.Fix, error.Fix);
    }

    [Theory]
    [InlineData("{request: -2s}", "spec.rules[0].timeouts.request")]
    [InlineData("{backendRequest: 2 seconds}", "spec.rules[0].timeouts.backendRequest")]
    public void A_bad_HTTPRoute_timeout_is_an_error_naming_object_field_and_fix(string timeouts, string path)
    {
        var (parsed, _) = Translate(HttpRoute(timeouts));

        var error = Assert.Single(parsed.Diagnostics, d => d.IsError);
        Assert.Equal("HTTPRoute default/web", error.Object);
        Assert.Equal(path, error.FieldPath);
        Assert.Equal(DurationParser.Fix, error.Fix);
    }

    [Fact]
    public void The_docs_mark_exactly_the_rule_fields_reported_as_not_enforced()
    {
        var (_, native) = Translate(Route("""
            mirror: {host: up, port: 80}
                mirrorPercentage: {value: 5}
                retries: {attempts: 2}
                timeout: 1s
                fault: {abort: {httpStatus: 503}}
                rateLimit: {requestsPerUnit: 1, unit: second}
            """));
        var (_, gatewayApi) = Translate(HttpRoute("{request: 1s}"));
        var reported = native.Diagnostics.Concat(gatewayApi.Diagnostics)
            .Where(d => d.Message.Contains("not enforced", StringComparison.Ordinal))
            .Select(d => (Section: d.Object.StartsWith("Route ", StringComparison.Ordinal) ? "RouteRule" : "HttpRouteRule", Field: d.FieldPath.Split('.')[^1]))
            .ToHashSet();

        var marked = new[] { "RouteRule", "HttpRouteRule" }
            .SelectMany(section => Regex.Matches(ConfigurationDocsTests.Section(section)!, @"^\| `([^`]+)` \|.*\*\*Not enforced yet\.\*\*", RegexOptions.Multiline).Select(m => (Section: section, Field: m.Groups[1].Value)))
            .ToHashSet();

        Assert.Equal(marked.Order(), reported.Order());
    }
}
