using Higress.EndToEnd.Tests.Infrastructure;

namespace Higress.EndToEnd.Tests.GatewayApi;

/// <summary>
/// HTTPRouteListenerHostnameMatching, HTTPRouteHostnameIntersection, HTTPListenerIsolation and port isolation:
/// routes attached to one listener never answer on another port or hostname.
/// </summary>
public sealed class HostnameTests(HostnameTests.Fixture fixture) : IClassFixture<HostnameTests.Fixture>
{
    private ConformanceWorld World => fixture.World;

    [Theory]
    [InlineData("bar.com", "infra-backend-v1")]
    [InlineData("foo.bar.com", "infra-backend-v2")]
    [InlineData("baz.bar.com", "infra-backend-v3")]
    [InlineData("boo.bar.com", "infra-backend-v3")]
    [InlineData("multiple.prefixes.bar.com", "infra-backend-v3")]
    [InlineData("multiple.prefixes.foo.com", "infra-backend-v3")]
    [InlineData("BAR.com", "infra-backend-v1")]
    [InlineData("bar.com:8080", "infra-backend-v1")]
    public async Task ListenerHostnameMatching(string host, string pod)
    {
        await World.ExpectBackendAsync("listener-hostnames", host, "/", pod);
    }

    [Theory]
    [InlineData("foo.com")]
    [InlineData("no.matching.host")]
    public async Task ListenerHostnameMatching_OtherHostsAnswer404(string host)
    {
        await World.ExpectStatusAsync("listener-hostnames", host, "/", 404);
    }

    [Theory]
    [InlineData("very.specific.com", "/s1", "infra-backend-v1")]
    [InlineData("foo.wildcard.io", "/s2", "infra-backend-v2")]
    [InlineData("bar.wildcard.io", "/s2", "infra-backend-v2")]
    [InlineData("foo.anotherwildcard.io", "/s2", "infra-backend-v2")]
    [InlineData("very.specific.com", "/s3", "infra-backend-v3")]
    [InlineData("anything.wildcard.io", "/s4", "infra-backend-v1")]
    [InlineData("deeper.anything.wildcard.io", "/s4", "infra-backend-v1")]
    public async Task HostnameIntersection_Served(string host, string path, string pod)
    {
        await World.ExpectBackendAsync("intersection", host, path, pod);
    }

    [Theory]
    [InlineData("non.matching.com", "/s1")]
    [InlineData("foo.nonmatchingwildcard.io", "/s1")]
    [InlineData("wildcard.io", "/s2")]
    [InlineData("anotherwildcard.io", "/s2")]
    [InlineData("non.matching.com", "/s2")]
    [InlineData("foo.specific.com", "/s3")]
    [InlineData("non.matching.com", "/s3")]
    [InlineData("wildcard.io", "/s4")]
    [InlineData("specific.but.wrong.com", "/s5")]
    [InlineData("wildcard.io", "/s5")]
    public async Task HostnameIntersection_NotServed(string host, string path)
    {
        await World.ExpectStatusAsync("intersection", host, path, 404);
    }

    [Fact]
    public async Task HostnameIntersection_RouteWithoutIntersectingHostnameIsNotAccepted()
    {
        var dump = await World.Gateway.Client.ConfigDumpAsync();
        var status = dump["statuses"]!.AsArray().Single(s => ((string?)s!["object"])!.EndsWith("/no-intersecting-hosts", StringComparison.Ordinal));
        Assert.Contains("NoMatchingListenerHostname", status!.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bar.com", "/empty-hostname", true)]
    [InlineData("bar.com", "/wildcard-example-com", false)]
    [InlineData("bar.com", "/wildcard-foo-example-com", false)]
    [InlineData("bar.com", "/abc-foo-example-com", false)]
    [InlineData("bar.example.com", "/wildcard-example-com", true)]
    [InlineData("bar.example.com", "/empty-hostname", false)]
    [InlineData("bar.example.com", "/wildcard-foo-example-com", false)]
    [InlineData("bar.example.com", "/abc-foo-example-com", false)]
    [InlineData("bar.foo.example.com", "/wildcard-foo-example-com", true)]
    [InlineData("bar.foo.example.com", "/empty-hostname", false)]
    [InlineData("bar.foo.example.com", "/wildcard-example-com", false)]
    [InlineData("bar.foo.example.com", "/abc-foo-example-com", false)]
    [InlineData("abc.foo.example.com", "/abc-foo-example-com", true)]
    [InlineData("abc.foo.example.com", "/empty-hostname", false)]
    [InlineData("abc.foo.example.com", "/wildcard-example-com", false)]
    [InlineData("abc.foo.example.com", "/wildcard-foo-example-com", false)]
    public async Task ListenerIsolation_OnlyTheMostSpecificListenersRoutesAnswer(string host, string path, bool served)
    {
        if (served)
        {
            await World.ExpectBackendAsync("isolation", host, path, "infra-backend-v1");
        }
        else
        {
            await World.ExpectStatusAsync("isolation", host, path, 404);
        }
    }

    [Fact]
    public async Task PortIsolation_RoutesAttachedToOneGatewayNeverAnswerOnAnotherPort()
    {
        await World.ExpectBackendAsync("same-namespace", "ports.example.com", "/only-same-namespace", "infra-backend-v2");
        await World.ExpectStatusAsync("all-namespaces", "ports.example.com", "/only-same-namespace", 404);
        await World.ExpectStatusAsync("backend-namespaces", "ports.example.com", "/only-same-namespace", 404);
        await World.ExpectStatusAsync("two-ports-b", "ports.example.com", "/only-same-namespace", 404);
    }

    [Fact]
    public async Task SectionName_AttachesToOneListenerOfAMultiPortGateway()
    {
        await World.ExpectBackendAsync("two-ports-a", "example.com", "/section", "infra-backend-v3");
        await World.ExpectStatusAsync("two-ports-b", "example.com", "/section", 404);
    }

    public sealed class Fixture : WorldFixture
    {
        protected override string Scenario => """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: httproute-listener-hostname-matching
              namespace: gateway-conformance-infra
            spec:
              gatewayClassName: higress
              listeners:
              - {name: listener-1, port: PORT(listener-hostnames), protocol: HTTP, hostname: bar.com}
              - {name: listener-2, port: PORT(listener-hostnames), protocol: HTTP, hostname: foo.bar.com}
              - {name: listener-3, port: PORT(listener-hostnames), protocol: HTTP, hostname: "*.bar.com"}
              - {name: listener-4, port: PORT(listener-hostnames), protocol: HTTP, hostname: "*.foo.com"}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: backend-v1
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: httproute-listener-hostname-matching, sectionName: listener-1}]
              rules:
              - backendRefs: [{name: infra-backend-v1, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: backend-v2
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: httproute-listener-hostname-matching, sectionName: listener-2}]
              rules:
              - backendRefs: [{name: infra-backend-v2, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: backend-v3
              namespace: gateway-conformance-infra
            spec:
              parentRefs:
              - {name: httproute-listener-hostname-matching, sectionName: listener-3}
              - {name: httproute-listener-hostname-matching, sectionName: listener-4}
              rules:
              - backendRefs: [{name: infra-backend-v3, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: httproute-hostname-intersection
              namespace: gateway-conformance-infra
            spec:
              gatewayClassName: higress
              listeners:
              - {name: listener-1, port: PORT(intersection), protocol: HTTP, hostname: very.specific.com}
              - {name: listener-2, port: PORT(intersection), protocol: HTTP, hostname: "*.wildcard.io"}
              - {name: listener-3, port: PORT(intersection), protocol: HTTP, hostname: "*.anotherwildcard.io"}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: specific-host-matches-listener-specific-host
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: httproute-hostname-intersection}]
              hostnames: [non.matching.com, "*.nonmatchingwildcard.io", very.specific.com]
              rules:
              - matches: [{path: {type: PathPrefix, value: /s1}}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: specific-host-matches-listener-wildcard-host
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: httproute-hostname-intersection}]
              hostnames: [non.matching.com, wildcard.io, foo.wildcard.io, bar.wildcard.io, "*.anotherwildcard.io"]
              rules:
              - matches: [{path: {type: PathPrefix, value: /s2}}]
                backendRefs: [{name: infra-backend-v2, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: wildcard-host-matches-listener-specific-host
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: httproute-hostname-intersection}]
              hostnames: [non.matching.com, "*.specific.com"]
              rules:
              - matches: [{path: {type: PathPrefix, value: /s3}}]
                backendRefs: [{name: infra-backend-v3, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: wildcard-host-matches-listener-wildcard-host
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: httproute-hostname-intersection}]
              hostnames: ["*.wildcard.io"]
              rules:
              - matches: [{path: {type: PathPrefix, value: /s4}}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: no-intersecting-hosts
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: httproute-hostname-intersection}]
              hostnames: [specific.but.wrong.com, wildcard.io]
              rules:
              - matches: [{path: {type: PathPrefix, value: /s5}}]
                backendRefs: [{name: infra-backend-v2, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: http-listener-isolation
              namespace: gateway-conformance-infra
            spec:
              gatewayClassName: higress
              listeners:
              - {name: empty-hostname, port: PORT(isolation), protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
              - {name: wildcard-example-com, port: PORT(isolation), protocol: HTTP, hostname: "*.example.com", allowedRoutes: {namespaces: {from: All}}}
              - {name: wildcard-foo-example-com, port: PORT(isolation), protocol: HTTP, hostname: "*.foo.example.com", allowedRoutes: {namespaces: {from: All}}}
              - {name: abc-foo-example-com, port: PORT(isolation), protocol: HTTP, hostname: abc.foo.example.com, allowedRoutes: {namespaces: {from: All}}}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: attaches-to-empty-hostname
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: http-listener-isolation, sectionName: empty-hostname}]
              rules:
              - matches: [{path: {type: PathPrefix, value: /empty-hostname}}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: attaches-to-wildcard-example-com
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: http-listener-isolation, sectionName: wildcard-example-com}]
              rules:
              - matches: [{path: {type: PathPrefix, value: /wildcard-example-com}}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: attaches-to-wildcard-foo-example-com
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: http-listener-isolation, sectionName: wildcard-foo-example-com}]
              rules:
              - matches: [{path: {type: PathPrefix, value: /wildcard-foo-example-com}}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: attaches-to-abc-foo-example-com
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: http-listener-isolation, sectionName: abc-foo-example-com}]
              rules:
              - matches: [{path: {type: PathPrefix, value: /abc-foo-example-com}}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: only-same-namespace
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: same-namespace}]
              rules:
              - matches: [{path: {type: PathPrefix, value: /only-same-namespace}}]
                backendRefs: [{name: infra-backend-v2, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: two-ports
              namespace: gateway-conformance-infra
            spec:
              gatewayClassName: higress
              listeners:
              - {name: a, port: PORT(two-ports-a), protocol: HTTP}
              - {name: b, port: PORT(two-ports-b), protocol: HTTP}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: section-a
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: two-ports, sectionName: a}]
              rules:
              - matches: [{path: {type: PathPrefix, value: /section}}]
                backendRefs: [{name: infra-backend-v3, port: 8080}]
            """;
    }
}
