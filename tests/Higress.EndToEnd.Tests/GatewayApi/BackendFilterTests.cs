using Higress.EndToEnd.Tests.Infrastructure;

namespace Higress.EndToEnd.Tests.GatewayApi;

/// <summary>
/// Issue 10.9, backend-level filters (HTTPRouteBackendURLRewrite, HTTPRouteBackendRequestRedirect, and
/// RequestMirror on a backendRef): each acts only when its backend is chosen.
/// </summary>
public sealed class BackendFilterTests(BackendFilterTests.Fixture fixture) : IClassFixture<BackendFilterTests.Fixture>
{
    private const string Host = "backend-filters.example.com";

    private ConformanceWorld World => fixture.World;

    [Fact]
    public async Task URLRewrite_on_a_backend_rewrites_what_that_backend_sees()
    {
        var echo = await World.ExpectBackendAsync("same-namespace", Host, "/rewrite/x?q=1", "infra-backend-v1");
        Assert.Equal("/v2/x?q=1", echo.Path);
        Assert.Equal("rewritten.example.com", echo.Host);
    }

    [Fact]
    public async Task RequestRedirect_on_a_backend_answers_the_redirect()
    {
        var response = await World.ExpectStatusAsync("same-namespace", Host, "/redirect/a", 302);
        // No port in the filter: the Gateway API keeps the listener's.
        Assert.Equal($"http://moved.example.com:{World.Port("same-namespace")}/redirect/a", response.Location);
    }

    [Fact]
    public async Task RequestMirror_on_a_backend_copies_only_the_requests_sent_to_that_backend()
    {
        const int Requests = 60;
        var toV1 = 0;
        for (var i = 0; i < Requests; i++)
        {
            var response = await World.SendAsync("same-namespace", Host, $"/mirror/{i}");
            Assert.Equal(200, response.Code);
            toV1 += response.Echo.Pod == "infra-backend-v1" ? 1 : 0;
        }

        Assert.InRange(toV1, 1, Requests - 1);

        // Copies are fire and forget: wait (bounded) until they all arrived, then check that no extra one comes.
        var mirror = World.Backends["infra-backend-v3"];
        for (var i = 0; i < 500 && mirror.Received.Count < toV1; i++)
        {
            await Task.Delay(20);
        }

        Assert.Equal(toV1, mirror.Received.Count);
        Assert.All(mirror.Received, r => Assert.Equal(Host + "-shadow", r.Headers["Host"]));
    }

    public sealed class Fixture : WorldFixture
    {
        protected override string Scenario => """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: backend-filters
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: same-namespace}]
              hostnames: [backend-filters.example.com]
              rules:
              - matches: [{path: {type: PathPrefix, value: /rewrite}}]
                backendRefs:
                - name: infra-backend-v1
                  port: 8080
                  filters:
                  - type: URLRewrite
                    urlRewrite: {hostname: rewritten.example.com, path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2}}
              - matches: [{path: {type: PathPrefix, value: /redirect}}]
                backendRefs:
                - name: infra-backend-v1
                  port: 8080
                  filters:
                  - type: RequestRedirect
                    requestRedirect: {hostname: moved.example.com, statusCode: 302}
              - matches: [{path: {type: PathPrefix, value: /mirror}}]
                backendRefs:
                - name: infra-backend-v1
                  port: 8080
                  filters:
                  - type: RequestMirror
                    requestMirror: {backendRef: {name: infra-backend-v3, port: 8080}}
                - name: infra-backend-v2
                  port: 8080
            """;
    }
}
