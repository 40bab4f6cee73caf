using Higress.EndToEnd.Tests.Infrastructure;

namespace Higress.EndToEnd.Tests.GatewayApi;

/// <summary>HTTPRouteHeaderMatching, HTTPRouteQueryParamMatching and HTTPRouteMethodMatching.</summary>
public sealed class HeaderQueryMethodMatchingTests(HeaderQueryMethodMatchingTests.Fixture fixture) : IClassFixture<HeaderQueryMethodMatchingTests.Fixture>
{
    private ConformanceWorld World => fixture.World;

    [Theory]
    [InlineData("version=one", "infra-backend-v1")]
    [InlineData("version=two", "infra-backend-v2")]
    [InlineData("version=two;color=orange", "infra-backend-v1")]
    [InlineData("color=blue", "infra-backend-v1")]
    [InlineData("color=green", "infra-backend-v1")]
    [InlineData("color=red", "infra-backend-v2")]
    [InlineData("color=yellow", "infra-backend-v2")]
    [InlineData("Version=one", "infra-backend-v1")]
    [InlineData("VERSION=two;COLOR=orange", "infra-backend-v1")]
    [InlineData("version=three-dot-one", "infra-backend-v3")]
    public async Task HeaderMatching(string headers, string pod)
    {
        await World.ExpectBackendAsync("same-namespace", "headers.example.com", "/", pod, headers: Parse(headers));
    }

    [Theory]
    [InlineData("version=ONE")]
    [InlineData("version=four")]
    [InlineData("color=purple")]
    [InlineData("")]
    public async Task HeaderMatching_ValuesAreCaseSensitive_NoMatchIs404(string headers)
    {
        await World.ExpectStatusAsync("same-namespace", "headers.example.com", "/", 404, headers: Parse(headers));
    }

    [Theory]
    [InlineData("/?animal=whale", "infra-backend-v1")]
    [InlineData("/?animal=dolphin", "infra-backend-v2")]
    [InlineData("/?animal=dolphin&color=blue", "infra-backend-v3")]
    [InlineData("/?color=blue&animal=dolphin", "infra-backend-v3")]
    [InlineData("/?animal=whale&other=x", "infra-backend-v1")]
    public async Task QueryParamMatching(string path, string pod)
    {
        await World.ExpectBackendAsync("same-namespace", "query.example.com", path, pod);
    }

    [Theory]
    [InlineData("/?ANIMAL=whale")]
    [InlineData("/?animal=Whale")]
    [InlineData("/?animal=shark")]
    [InlineData("/")]
    public async Task QueryParamMatching_NamesAndValuesAreCaseSensitive(string path)
    {
        await World.ExpectStatusAsync("same-namespace", "query.example.com", path, 404);
    }

    [Theory]
    [InlineData("POST", "/", "infra-backend-v1")]
    [InlineData("GET", "/", "infra-backend-v2")]
    [InlineData("GET", "/path1", "infra-backend-v1")]
    [InlineData("PUT", "/path2", "infra-backend-v2")]
    [InlineData("POST", "/path3", "infra-backend-v3")]
    [InlineData("PATCH", "/path4", "infra-backend-v1")]
    [InlineData("DELETE", "/path4", "infra-backend-v1")]
    public async Task MethodMatching(string method, string path, string pod)
    {
        var echo = await World.ExpectBackendAsync("same-namespace", "method.example.com", path, pod, method: new HttpMethod(method));
        Assert.Equal(method, echo.Method);
    }

    [Theory]
    [InlineData("HEAD", "/")]
    [InlineData("PUT", "/")]
    [InlineData("GET", "/path2")]
    [InlineData("PUT", "/path4")]
    public async Task MethodMatching_OtherMethodsAnswer404(string method, string path)
    {
        await World.ExpectStatusAsync("same-namespace", "method.example.com", path, 404, method: new HttpMethod(method));
    }

    private static Dictionary<string, string> Parse(string headers) => headers
        .Split(';', StringSplitOptions.RemoveEmptyEntries)
        .Select(h => h.Split('='))
        .ToDictionary(p => p[0], p => p[1]);

    public sealed class Fixture : WorldFixture
    {
        protected override string Scenario => """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: header-matching
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: same-namespace}]
              hostnames: [headers.example.com]
              rules:
              - matches: [{headers: [{name: version, value: one}]}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
              - matches: [{headers: [{name: version, value: two}]}]
                backendRefs: [{name: infra-backend-v2, port: 8080}]
              - matches: [{headers: [{name: version, value: two}, {name: color, value: orange}]}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
              - matches: [{headers: [{name: color, value: blue}]}, {headers: [{name: color, value: green}]}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
              - matches: [{headers: [{name: color, value: red}]}, {headers: [{name: color, value: yellow}]}]
                backendRefs: [{name: infra-backend-v2, port: 8080}]
              - matches: [{headers: [{name: version, type: RegularExpression, value: "^three-.*$"}]}]
                backendRefs: [{name: infra-backend-v3, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: query-param-matching
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: same-namespace}]
              hostnames: [query.example.com]
              rules:
              - matches: [{queryParams: [{name: animal, value: whale}]}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
              - matches: [{queryParams: [{name: animal, value: dolphin}]}]
                backendRefs: [{name: infra-backend-v2, port: 8080}]
              - matches: [{queryParams: [{name: animal, value: dolphin}, {name: color, value: blue}]}]
                backendRefs: [{name: infra-backend-v3, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: method-matching
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: same-namespace}]
              hostnames: [method.example.com]
              rules:
              - matches: [{method: POST, path: {type: Exact, value: /}}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
              - matches: [{method: GET, path: {type: Exact, value: /}}]
                backendRefs: [{name: infra-backend-v2, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /path1}, method: GET}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /path2}, method: PUT}]
                backendRefs: [{name: infra-backend-v2, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /path3}, method: POST}]
                backendRefs: [{name: infra-backend-v3, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /path4}, method: PATCH}, {path: {type: PathPrefix, value: /path4}, method: DELETE}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
            """;
    }
}
