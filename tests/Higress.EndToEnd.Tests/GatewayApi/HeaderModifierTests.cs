using Higress.EndToEnd.Tests.Infrastructure;

namespace Higress.EndToEnd.Tests.GatewayApi;

/// <summary>HTTPRouteRequestHeaderModifier, HTTPRouteResponseHeaderModifier and backend-level header filters.</summary>
public sealed class HeaderModifierTests(HeaderModifierTests.Fixture fixture) : IClassFixture<HeaderModifierTests.Fixture>
{
    private const string Host = "headers.example.com";

    private ConformanceWorld World => fixture.World;

    [Fact]
    public async Task RequestSet_AddsHeader()
    {
        var echo = await World.ExpectBackendAsync("same-namespace", Host, "/set", "infra-backend-v1");
        Assert.Equal("set-overwrites-values", echo.HeaderValue("X-Header-Set"));
    }

    [Fact]
    public async Task RequestSet_OverwritesExistingValue()
    {
        var echo = await World.ExpectBackendAsync("same-namespace", Host, "/set", "infra-backend-v1", headers: H(("Some-Other-Header", "val"), ("X-Header-Set", "some-other-value")));
        Assert.Equal("set-overwrites-values", echo.HeaderValue("X-Header-Set"));
        Assert.Equal("val", echo.HeaderValue("Some-Other-Header"));
    }

    [Fact]
    public async Task RequestAdd_AppendsToExistingValue()
    {
        var added = await World.ExpectBackendAsync("same-namespace", Host, "/add", "infra-backend-v1");
        Assert.Equal("add-appends-values", added.HeaderValue("X-Header-Add"));
        var appended = await World.ExpectBackendAsync("same-namespace", Host, "/add", "infra-backend-v1", headers: H(("X-Header-Add", "some-other-value")));
        Assert.Equal("some-other-value,add-appends-values", appended.HeaderValue("X-Header-Add"));
    }

    [Fact]
    public async Task RequestRemove_RemovesHeader()
    {
        var echo = await World.ExpectBackendAsync("same-namespace", Host, "/remove", "infra-backend-v1", headers: H(("X-Header-Remove", "val"), ("X-Keep", "yes")));
        Assert.Null(echo.HeaderValue("X-Header-Remove"));
        Assert.Equal("yes", echo.HeaderValue("X-Keep"));
    }

    [Fact]
    public async Task RequestMultiple_SetAddRemoveTogether()
    {
        var echo = await World.ExpectBackendAsync("same-namespace", Host, "/multiple", "infra-backend-v1", headers: H(
            ("X-Header-Set-2", "set-val"), ("X-Header-Add-2", "add-val"), ("X-Header-Remove-1", "val1"), ("X-Header-Remove-2", "val2")));
        Assert.Equal("set-overwrites-values-1", echo.HeaderValue("X-Header-Set-1"));
        Assert.Equal("set-overwrites-values-2", echo.HeaderValue("X-Header-Set-2"));
        Assert.Equal("add-appends-values-1", echo.HeaderValue("X-Header-Add-1"));
        Assert.Equal("add-val,add-appends-values-2", echo.HeaderValue("X-Header-Add-2"));
        Assert.Null(echo.HeaderValue("X-Header-Remove-1"));
        Assert.Null(echo.HeaderValue("X-Header-Remove-2"));
    }

    [Fact]
    public async Task RequestHeaderNames_AreCaseInsensitive()
    {
        var echo = await World.ExpectBackendAsync("same-namespace", Host, "/case-insensitivity", "infra-backend-v1", headers: H(
            ("x-header-set", "original"), ("x-header-add", "original"), ("x-header-remove", "gone")));
        Assert.Equal("header-set", echo.HeaderValue("X-Header-Set"));
        Assert.Equal("original,header-add", echo.HeaderValue("X-Header-Add"));
        Assert.Null(echo.HeaderValue("X-Header-Remove"));
    }

    [Fact]
    public async Task ResponseSet_Add_Remove()
    {
        var response = await World.SendAsync("same-namespace", Host, "/response", headers: H(
            ("X-Echo-Set-Header", "X-Header-Set:original, X-Header-Set:second, X-Header-Add:original, X-Header-Remove:gone, X-Header-Remove:gone-too, X-Untouched:kept")));
        Assert.Equal(200, response.Code);
        Assert.Equal("set-overwrites-values", response.HeaderValue("X-Header-Set"));
        Assert.Equal("original,add-appends-values", response.HeaderValue("X-Header-Add"));
        Assert.Null(response.HeaderValue("X-Header-Remove"));
        Assert.Equal("kept", response.HeaderValue("X-Untouched"));
    }

    [Fact]
    public async Task ResponseSet_AddsWhenBackendDidNotSendIt()
    {
        var response = await World.SendAsync("same-namespace", Host, "/response");
        Assert.Equal(200, response.Code);
        Assert.Equal("set-overwrites-values", response.HeaderValue("X-Header-Set"));
        Assert.Equal("add-appends-values", response.HeaderValue("X-Header-Add"));
    }

    [Fact]
    public async Task BackendLevelRequestHeaderFilters_ApplyPerBackend()
    {
        var v1 = await World.ExpectBackendAsync("same-namespace", Host, "/backend-filter/v1", "infra-backend-v1");
        Assert.Equal("v1", v1.HeaderValue("X-Backend"));
        Assert.Equal("rule", v1.HeaderValue("X-Rule"));
        var v2 = await World.ExpectBackendAsync("same-namespace", Host, "/backend-filter/v2", "infra-backend-v2");
        Assert.Equal("v2", v2.HeaderValue("X-Backend"));
        Assert.Null(v2.HeaderValue("X-Rule"));
    }

    [Fact]
    public async Task BackendLevelResponseHeaderFilter_Applies()
    {
        var response = await World.SendAsync("same-namespace", Host, "/backend-filter/v2");
        Assert.Equal(200, response.Code);
        Assert.Equal("from-v2", response.HeaderValue("X-Backend-Response"));
    }

    private static KeyValuePair<string, string>[] H(params (string Name, string Value)[] headers)
        => headers.Select(h => KeyValuePair.Create(h.Name, h.Value)).ToArray();

    public sealed class Fixture : WorldFixture
    {
        protected override string Scenario => """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: request-header-modifier
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: same-namespace}]
              hostnames: [headers.example.com]
              rules:
              - matches: [{path: {type: PathPrefix, value: /set}}]
                filters:
                - type: RequestHeaderModifier
                  requestHeaderModifier:
                    set: [{name: X-Header-Set, value: set-overwrites-values}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /add}}]
                filters:
                - type: RequestHeaderModifier
                  requestHeaderModifier:
                    add: [{name: X-Header-Add, value: add-appends-values}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /remove}}]
                filters:
                - type: RequestHeaderModifier
                  requestHeaderModifier:
                    remove: [X-Header-Remove]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /multiple}}]
                filters:
                - type: RequestHeaderModifier
                  requestHeaderModifier:
                    set:
                    - {name: X-Header-Set-1, value: set-overwrites-values-1}
                    - {name: X-Header-Set-2, value: set-overwrites-values-2}
                    add:
                    - {name: X-Header-Add-1, value: add-appends-values-1}
                    - {name: X-Header-Add-2, value: add-appends-values-2}
                    remove: [X-Header-Remove-1, X-Header-Remove-2]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /case-insensitivity}}]
                filters:
                - type: RequestHeaderModifier
                  requestHeaderModifier:
                    set: [{name: X-Header-Set, value: header-set}]
                    add: [{name: X-Header-Add, value: header-add}]
                    remove: [X-Header-Remove]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /response}}]
                filters:
                - type: ResponseHeaderModifier
                  responseHeaderModifier:
                    set: [{name: X-Header-Set, value: set-overwrites-values}]
                    add: [{name: X-Header-Add, value: add-appends-values}]
                    remove: [X-Header-Remove]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /backend-filter/v1}}]
                filters:
                - type: RequestHeaderModifier
                  requestHeaderModifier:
                    set: [{name: X-Rule, value: rule}]
                backendRefs:
                - name: infra-backend-v1
                  port: 8080
                  filters:
                  - type: RequestHeaderModifier
                    requestHeaderModifier:
                      set: [{name: X-Backend, value: v1}]
              - matches: [{path: {type: PathPrefix, value: /backend-filter/v2}}]
                backendRefs:
                - name: infra-backend-v2
                  port: 8080
                  filters:
                  - type: RequestHeaderModifier
                    requestHeaderModifier:
                      add: [{name: X-Backend, value: v2}]
                  - type: ResponseHeaderModifier
                    responseHeaderModifier:
                      set: [{name: X-Backend-Response, value: from-v2}]
            """;
    }
}
