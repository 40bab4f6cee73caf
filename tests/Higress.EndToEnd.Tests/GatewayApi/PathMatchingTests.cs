using Higress.EndToEnd.Tests.Infrastructure;

namespace Higress.EndToEnd.Tests.GatewayApi;

/// <summary>
/// HTTPRouteExactPathMatching, HTTPRouteMatching (path prefix segment semantics), HTTPRouteMatchingAcrossRoutes,
/// HTTPRoutePathMatchOrder and case-sensitive paths.
/// </summary>
public sealed class PathMatchingTests(PathMatchingTests.Fixture fixture) : IClassFixture<PathMatchingTests.Fixture>
{
    private ConformanceWorld World => fixture.World;

    [Theory]
    [InlineData("/one", "infra-backend-v1")]
    [InlineData("/two", "infra-backend-v2")]
    public async Task ExactPath_MatchesOnlyThatPath(string path, string pod)
    {
        await World.ExpectBackendAsync("same-namespace", "exact.example.com", path, pod);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/one/example")]
    [InlineData("/two/")]
    [InlineData("/onetwo")]
    public async Task ExactPath_OtherPathsAnswer404(string path)
    {
        await World.ExpectStatusAsync("same-namespace", "exact.example.com", path, 404);
    }

    [Theory]
    [InlineData("/abc", "infra-backend-v1")]
    [InlineData("/abc/", "infra-backend-v1")]
    [InlineData("/abc/x", "infra-backend-v1")]
    [InlineData("/abcd", "infra-backend-v2")]
    [InlineData("/abcd/x", "infra-backend-v2")]
    [InlineData("/trailing", "infra-backend-v3")]
    [InlineData("/trailing/", "infra-backend-v3")]
    [InlineData("/trailing/deep", "infra-backend-v3")]
    public async Task PathPrefix_MatchesWholeSegments(string path, string pod)
    {
        await World.ExpectBackendAsync("same-namespace", "prefix.example.com", path, pod);
    }

    [Theory]
    [InlineData("/ab")]
    [InlineData("/trailingx")]
    [InlineData("/ABC")]
    [InlineData("/Abc/x")]
    public async Task PathPrefix_NonSegmentAndOtherCaseAnswer404(string path)
    {
        await World.ExpectStatusAsync("same-namespace", "prefix.example.com", path, 404);
    }

    [Theory]
    [InlineData("example.com", "/", null, "infra-backend-v1")]
    [InlineData("example.net", "/", null, "infra-backend-v1")]
    [InlineData("example.com", "/example", null, "infra-backend-v1")]
    [InlineData("example.net", "/example", "one", "infra-backend-v1")]
    [InlineData("example.com", "/v2", null, "infra-backend-v2")]
    [InlineData("example.com", "/v2/example", null, "infra-backend-v2")]
    [InlineData("example.com", "/v2example", null, "infra-backend-v1")]
    [InlineData("example.com", "/", "two", "infra-backend-v2")]
    [InlineData("example.net", "/v2", null, "infra-backend-v1")]
    [InlineData("example.net", "/", "two", "infra-backend-v1")]
    public async Task MatchingAcrossRoutes(string host, string path, string? version, string pod)
    {
        var headers = version is null ? null : new Dictionary<string, string> { ["version"] = version };
        await World.ExpectBackendAsync("same-namespace", host, path, pod, headers: headers);
    }

    [Theory]
    [InlineData("/match/exact/one", null, "infra-backend-v1")]
    [InlineData("/match/exact", null, "infra-backend-v2")]
    [InlineData("/match", null, "infra-backend-v3")]
    [InlineData("/match/prefix/one/deeper", null, "infra-backend-v1")]
    [InlineData("/match/prefix/other", null, "infra-backend-v2")]
    [InlineData("/match/other", null, "infra-backend-v3")]
    [InlineData("/match/exact/two", null, "infra-backend-v3")]
    [InlineData("/match/prefix/one", "POST", "infra-backend-v2")]
    [InlineData("/match/exact/one", "POST", "infra-backend-v1")]
    public async Task PathMatchOrder_ExactBeatsPrefix_LongerPrefixBeatsShorter_ThenMethod(string path, string? method, string pod)
    {
        await World.ExpectBackendAsync("same-namespace", "order.example.com", path, pod, method: method is null ? null : new HttpMethod(method));
    }

    [Fact]
    public async Task PathMatchOrder_PrefixWithMethodBeatsSamePrefixWithout()
    {
        await World.ExpectBackendAsync("same-namespace", "order.example.com", "/match/prefix/one", "infra-backend-v1");
    }

    [Fact]
    public async Task IdenticalMatchesAcrossRoutes_OlderRouteWins()
    {
        // zz-older sorts after aa-newer by name, but its creationTimestamp is older.
        await World.ExpectBackendAsync("same-namespace", "tie.example.com", "/tie", "infra-backend-v1");
    }

    [Fact]
    public async Task IdenticalMatchesAndTimestamps_NamespaceNameDecides()
    {
        await World.ExpectBackendAsync("same-namespace", "tie.example.com", "/same-age", "infra-backend-v2");
    }

    [Theory]
    [InlineData("a.prec.example.com", "infra-backend-v2")]
    [InlineData("b.prec.example.com", "infra-backend-v1")]
    [InlineData("x.deep.prec.example.com", "infra-backend-v3")]
    public async Task ExactHostnameBeatsWildcard_LongerWildcardBeatsShorter(string host, string pod)
    {
        await World.ExpectBackendAsync("same-namespace", host, "/", pod);
    }

    [Fact]
    public async Task QueryStringIsForwardedUnchanged()
    {
        var echo = await World.ExpectBackendAsync("same-namespace", "prefix.example.com", "/abc/x?a=1&b=two", "infra-backend-v1");
        Assert.Equal("/abc/x?a=1&b=two", echo.Path);
    }

    public sealed class Fixture : WorldFixture
    {
        protected override string Scenario => """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: exact-matching
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: same-namespace}]
              hostnames: [exact.example.com]
              rules:
              - matches: [{path: {type: Exact, value: /one}}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
              - matches: [{path: {type: Exact, value: /two}}]
                backendRefs: [{name: infra-backend-v2, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: prefix-matching
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: same-namespace}]
              hostnames: [prefix.example.com]
              rules:
              - matches: [{path: {type: PathPrefix, value: /abc}}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /abcd}}]
                backendRefs: [{name: infra-backend-v2, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /trailing/}}]
                backendRefs: [{name: infra-backend-v3, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: matching-part1
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: same-namespace}]
              hostnames: [example.com, example.net]
              rules:
              - matches: [{path: {type: PathPrefix, value: /}}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
              - matches:
                - path: {type: Exact, value: /example}
                  headers: [{name: version, value: one}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: matching-part2
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: same-namespace}]
              hostnames: [example.com]
              rules:
              - matches: [{path: {type: PathPrefix, value: /v2}}]
                backendRefs: [{name: infra-backend-v2, port: 8080}]
              - matches: [{headers: [{name: version, value: two}]}]
                backendRefs: [{name: infra-backend-v2, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: path-matching-order
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: same-namespace}]
              hostnames: [order.example.com]
              rules:
              - matches: [{path: {type: PathPrefix, value: /match}}]
                backendRefs: [{name: infra-backend-v3, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /match/prefix}}]
                backendRefs: [{name: infra-backend-v2, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /match/prefix/one}, method: GET}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
              - matches: [{path: {type: Exact, value: /match/exact}}]
                backendRefs: [{name: infra-backend-v2, port: 8080}]
              - matches: [{path: {type: Exact, value: /match/exact/one}}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: aa-newer
              namespace: gateway-conformance-infra
              creationTimestamp: "2021-06-01T00:00:00Z"
            spec:
              parentRefs: [{name: same-namespace}]
              hostnames: [tie.example.com]
              rules:
              - matches: [{path: {type: PathPrefix, value: /tie}}]
                backendRefs: [{name: infra-backend-v2, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /same-age}}]
                backendRefs: [{name: infra-backend-v3, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: zz-older
              namespace: gateway-conformance-infra
              creationTimestamp: "2020-01-01T00:00:00Z"
            spec:
              parentRefs: [{name: same-namespace}]
              hostnames: [tie.example.com]
              rules:
              - matches: [{path: {type: PathPrefix, value: /tie}}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: same-age-b
              namespace: gateway-conformance-infra
              creationTimestamp: "2020-01-01T00:00:00Z"
            spec:
              parentRefs: [{name: same-namespace}]
              hostnames: [tie.example.com]
              rules:
              - matches: [{path: {type: PathPrefix, value: /same-age}}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: same-age-a
              namespace: gateway-conformance-infra
              creationTimestamp: "2020-01-01T00:00:00Z"
            spec:
              parentRefs: [{name: same-namespace}]
              hostnames: [tie.example.com]
              rules:
              - matches: [{path: {type: PathPrefix, value: /same-age}}]
                backendRefs: [{name: infra-backend-v2, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: wildcard-host
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: same-namespace}]
              hostnames: ["*.prec.example.com"]
              rules:
              - backendRefs: [{name: infra-backend-v1, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: exact-host
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: same-namespace}]
              hostnames: [a.prec.example.com]
              rules:
              - backendRefs: [{name: infra-backend-v2, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: deeper-wildcard-host
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: same-namespace}]
              hostnames: ["*.deep.prec.example.com"]
              rules:
              - backendRefs: [{name: infra-backend-v3, port: 8080}]
            """;
    }
}
