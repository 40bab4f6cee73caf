using Higress.EndToEnd.Tests.Infrastructure;

namespace Higress.EndToEnd.Tests.GatewayApi;

/// <summary>HTTPRouteRewritePath (ReplaceFullPath, ReplacePrefixMatch incl. "/") and HTTPRouteRewriteHost.</summary>
public sealed class RewriteTests(RewriteTests.Fixture fixture) : IClassFixture<RewriteTests.Fixture>
{
    private const string Host = "rewrite.example.com";

    private ConformanceWorld World => fixture.World;

    [Theory]
    [InlineData("/prefix/one/two", "/one/two")]
    [InlineData("/prefix/one", "/one")]
    [InlineData("/prefix/one/", "/one/")]
    [InlineData("/full/one/two", "/one")]
    [InlineData("/full/one", "/one")]
    [InlineData("/strip-prefix/three", "/three")]
    [InlineData("/strip-prefix", "/")]
    [InlineData("/strip-prefix/", "/")]
    [InlineData("/strip-prefix/a/b/", "/a/b/")]
    [InlineData("/trailing-prefix/four", "/four")]
    [InlineData("/trailing-prefix", "/")]
    public async Task RewritePath(string path, string expected)
    {
        var echo = await World.ExpectBackendAsync("same-namespace", Host, path, "infra-backend-v1");
        Assert.Equal(expected, echo.PathOnly);
        Assert.Equal(Host, echo.Host);
    }

    /// <summary>The ReplacePrefixMatch table of the Gateway API spec (HTTPPathModifier), one host per prefix/replacement pair.</summary>
    [Theory]
    [InlineData("foo-xyz.example.com", "/foo/bar", "/xyz/bar")]
    [InlineData("foo-xyz.example.com", "/foo", "/xyz")]
    [InlineData("foo-xyz.example.com", "/foo/", "/xyz/")]
    [InlineData("foo-xyzslash.example.com", "/foo/bar", "/xyz/bar")]
    [InlineData("foo-xyzslash.example.com", "/foo/", "/xyz/")]
    [InlineData("fooslash-xyz.example.com", "/foo/bar", "/xyz/bar")]
    [InlineData("fooslash-xyz.example.com", "/foo", "/xyz")]
    [InlineData("fooslash-xyz.example.com", "/foo/", "/xyz/")]
    [InlineData("fooslash-xyzslash.example.com", "/foo/bar", "/xyz/bar")]
    [InlineData("fooslash-xyzslash.example.com", "/foo/", "/xyz/")]
    public async Task ReplacePrefixMatch_SpecTable(string host, string path, string expected)
    {
        var echo = await World.ExpectBackendAsync("same-namespace", host, path, "infra-backend-v3");
        Assert.Equal(expected, echo.PathOnly);
    }

    [Fact]
    public async Task RewritePrefix_KeepsQueryString()
    {
        var echo = await World.ExpectBackendAsync("same-namespace", Host, "/prefix/one/two?fruit=lemon&n=1", "infra-backend-v1");
        Assert.Equal("/one/two?fruit=lemon&n=1", echo.Path);
    }

    [Fact]
    public async Task RewritePath_NonSegmentPrefixIsNotRewritten()
    {
        await World.ExpectStatusAsync("same-namespace", Host, "/strip-prefixes", 404);
    }

    [Fact]
    public async Task RewritePathAndModifyHeaders()
    {
        var full = await World.ExpectBackendAsync("same-namespace", Host, "/full/rewrite-path-and-modify-headers/test", "infra-backend-v1",
            headers: [KeyValuePair.Create("X-Header-Remove", "x"), KeyValuePair.Create("X-Header-Add", "original")]);
        Assert.Equal("/test", full.PathOnly);
        Assert.Equal("set-overwrites-values", full.HeaderValue("X-Header-Set"));
        Assert.Equal("original,header-add", full.HeaderValue("X-Header-Add"));
        Assert.Null(full.HeaderValue("X-Header-Remove"));

        var prefix = await World.ExpectBackendAsync("same-namespace", Host, "/prefix/rewrite-path-and-modify-headers/one", "infra-backend-v1");
        Assert.Equal("/prefix/one", prefix.PathOnly);
        Assert.Equal("set-overwrites-values", prefix.HeaderValue("X-Header-Set"));
    }

    [Theory]
    [InlineData("/one", "one.example.org", "/one")]
    [InlineData("/two", "example.org", "/two")]
    [InlineData("/host-and-path/x", "three.example.org", "/x")]
    public async Task RewriteHost(string path, string expectedHost, string expectedPath)
    {
        var echo = await World.ExpectBackendAsync("same-namespace", "rewrite-host.example.com", path, "infra-backend-v2");
        Assert.Equal(expectedHost, echo.Host);
        Assert.Equal(expectedPath, echo.PathOnly);
    }

    public sealed class Fixture : WorldFixture
    {
        protected override string Scenario => """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: rewrite-path
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: same-namespace}]
              hostnames: [rewrite.example.com]
              rules:
              - matches: [{path: {type: PathPrefix, value: /prefix/one}}]
                filters:
                - type: URLRewrite
                  urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /one}}
                backendRefs: [{name: infra-backend-v1, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /full/one}}]
                filters:
                - type: URLRewrite
                  urlRewrite: {path: {type: ReplaceFullPath, replaceFullPath: /one}}
                backendRefs: [{name: infra-backend-v1, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /full/rewrite-path-and-modify-headers}}]
                filters:
                - type: URLRewrite
                  urlRewrite: {path: {type: ReplaceFullPath, replaceFullPath: /test}}
                - type: RequestHeaderModifier
                  requestHeaderModifier:
                    set: [{name: X-Header-Set, value: set-overwrites-values}]
                    add: [{name: X-Header-Add, value: header-add}]
                    remove: [X-Header-Remove]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /prefix/rewrite-path-and-modify-headers}}]
                filters:
                - type: URLRewrite
                  urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /prefix}}
                - type: RequestHeaderModifier
                  requestHeaderModifier:
                    set: [{name: X-Header-Set, value: set-overwrites-values}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /strip-prefix}}]
                filters:
                - type: URLRewrite
                  urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}
                backendRefs: [{name: infra-backend-v1, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /trailing-prefix/}}]
                filters:
                - type: URLRewrite
                  urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}
                backendRefs: [{name: infra-backend-v1, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: rewrite-host
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: same-namespace}]
              hostnames: [rewrite-host.example.com]
              rules:
              - matches: [{path: {type: PathPrefix, value: /one}}]
                filters:
                - type: URLRewrite
                  urlRewrite: {hostname: one.example.org}
                backendRefs: [{name: infra-backend-v2, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /two}}]
                filters:
                - type: URLRewrite
                  urlRewrite: {hostname: example.org}
                backendRefs: [{name: infra-backend-v2, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /host-and-path}}]
                filters:
                - type: URLRewrite
                  urlRewrite: {hostname: three.example.org, path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}
                backendRefs: [{name: infra-backend-v2, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: table-foo-xyz
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: same-namespace}]
              hostnames: [foo-xyz.example.com]
              rules:
              - matches: [{path: {type: PathPrefix, value: /foo}}]
                filters:
                - type: URLRewrite
                  urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /xyz}}
                backendRefs: [{name: infra-backend-v3, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: table-foo-xyzslash
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: same-namespace}]
              hostnames: [foo-xyzslash.example.com]
              rules:
              - matches: [{path: {type: PathPrefix, value: /foo}}]
                filters:
                - type: URLRewrite
                  urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /xyz/}}
                backendRefs: [{name: infra-backend-v3, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: table-fooslash-xyz
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: same-namespace}]
              hostnames: [fooslash-xyz.example.com]
              rules:
              - matches: [{path: {type: PathPrefix, value: /foo/}}]
                filters:
                - type: URLRewrite
                  urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /xyz}}
                backendRefs: [{name: infra-backend-v3, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: table-fooslash-xyzslash
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: same-namespace}]
              hostnames: [fooslash-xyzslash.example.com]
              rules:
              - matches: [{path: {type: PathPrefix, value: /foo/}}]
                filters:
                - type: URLRewrite
                  urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /xyz/}}
                backendRefs: [{name: infra-backend-v3, port: 8080}]
            """;
    }
}
