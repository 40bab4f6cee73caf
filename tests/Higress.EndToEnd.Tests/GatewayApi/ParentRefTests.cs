using System.Text.Json.Nodes;
using Higress.EndToEnd.Tests.Infrastructure;

namespace Higress.EndToEnd.Tests.GatewayApi;

/// <summary>
/// HTTPRouteInvalidParentRefNotMatchingSectionName, HTTPRouteInvalidParentRefNotMatchingListenerPort,
/// HTTPRouteInvalidCrossNamespaceParentRef (status), a parentRef to a Gateway that does not exist, and a Gateway whose
/// <c>spec.addresses</c> names another loopback address.
/// </summary>
public sealed class ParentRefTests(ParentRefTests.Fixture fixture) : IClassFixture<ParentRefTests.Fixture>
{
    private ConformanceWorld World => fixture.World;

    [Theory]
    [InlineData("/wrong-section", "wrong-section")]
    [InlineData("/wrong-port", "wrong-port")]
    public async Task UnmatchedParentRef_RouteIsNotAccepted_AndNotServed(string path, string route)
    {
        await World.ExpectStatusAsync("same-namespace", "parents.example.com", path, 404);
        var parents = await ParentConditionsAsync(route);
        Assert.Contains(parents, c => (string?)c!["type"] == "Accepted" && (bool?)c["status"] == false);
    }

    [Fact]
    public async Task ParentRefToAbsentGateway_IsNotServed_AndItsStatusIsLeftToItsController()
    {
        // An absent Gateway may belong to another controller: the route is not served and no parent status is claimed.
        await World.ExpectStatusAsync("same-namespace", "parents.example.com", "/no-such-gateway", 404);
        Assert.DoesNotContain(await ParentConditionsAsync("no-such-gateway"), c => (string?)c!["type"] == "Accepted" && (bool?)c["status"] == true);
    }

    [Fact]
    public async Task MatchingSectionNameAndPort_IsServed()
    {
        await World.ExpectBackendAsync("same-namespace", "parents.example.com", "/right-section-and-port", "infra-backend-v2");
        var parents = await ParentConditionsAsync("right-section-and-port");
        Assert.Contains(parents, c => (string?)c!["type"] == "Accepted" && (bool?)c["status"] == true);
    }

    [Fact]
    public async Task CrossNamespaceParentRef_ToSameOnlyListener_IsNotAllowedByListeners()
    {
        await World.ExpectStatusAsync("same-namespace", "parents.example.com", "/from-web-backend", 404);
        var parents = await ParentConditionsAsync("from-web-backend");
        Assert.Contains(parents, c => (string?)c!["type"] == "Accepted" && (bool?)c["status"] == false && (string?)c["reason"] == "NotAllowedByListeners");
    }

    [Fact]
    public async Task GatewayAddress_BindsThatAddressOnly()
    {
        var port = World.Port("other-address");
        var served = await World.Gateway.Client.SendAsync(port, "example.com", "/", address: "127.0.0.2");
        Assert.Equal(200, served.Code);
        Assert.Equal("infra-backend-v3", served.Echo.Pod);
        await Assert.ThrowsAsync<HttpRequestException>(() => World.Gateway.Client.SendAsync(port, "example.com", "/", address: "127.0.0.1"));
    }

    [Theory]
    [InlineData("127.0.0.1", "infra-backend-v1")]
    [InlineData("127.0.0.3", "infra-backend-v2")]
    [InlineData("127.0.0.4", "infra-backend-v3")]
    public async Task GatewaysOnOnePortWithDistinctAddresses_AreIsolated(string address, string pod)
    {
        var response = await World.Gateway.Client.SendAsync(World.Port("shared-port"), "example.com", "/", address: address);
        Assert.Equal(200, response.Code);
        Assert.Equal(pod, response.Echo.Pod);
    }

    [Theory]
    [InlineData("a.example.com", "infra-backend-v1")]
    [InlineData("b.example.com", "infra-backend-v2")]
    public async Task GatewaysOnOnePortWithDistinctHostnames_AreIsolated(string host, string pod)
    {
        await World.ExpectBackendAsync("shared-hosts", host, "/", pod);
    }

    [Fact]
    public async Task GatewaysOnOnePortWithDistinctHostnames_OtherHostsAnswer404()
    {
        await World.ExpectStatusAsync("shared-hosts", "c.example.com", "/", 404);
    }

    private async Task<List<JsonNode?>> ParentConditionsAsync(string route)
    {
        var dump = await World.Gateway.Client.ConfigDumpAsync();
        var status = dump["statuses"]!.AsArray().Single(s => ((string?)s!["object"])!.EndsWith("/" + route, StringComparison.Ordinal));
        return status!["parents"]!.AsArray().SelectMany(p => p!["conditions"]!.AsArray()).Concat(status["conditions"]!.AsArray()).ToList();
    }

    public sealed class Fixture : WorldFixture
    {
        protected override string Scenario => """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: wrong-section
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: same-namespace, sectionName: does-not-exist}]
              hostnames: [parents.example.com]
              rules:
              - matches: [{path: {type: PathPrefix, value: /wrong-section}}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: wrong-port
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: same-namespace, port: 1}]
              hostnames: [parents.example.com]
              rules:
              - matches: [{path: {type: PathPrefix, value: /wrong-port}}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: no-such-gateway
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: no-such-gateway}]
              hostnames: [parents.example.com]
              rules:
              - matches: [{path: {type: PathPrefix, value: /no-such-gateway}}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: right-section-and-port
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: same-namespace, sectionName: http, port: PORT(same-namespace)}]
              hostnames: [parents.example.com]
              rules:
              - matches: [{path: {type: PathPrefix, value: /right-section-and-port}}]
                backendRefs: [{name: infra-backend-v2, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: from-web-backend
              namespace: gateway-conformance-web-backend
            spec:
              parentRefs: [{name: same-namespace, namespace: gateway-conformance-infra}]
              hostnames: [parents.example.com]
              rules:
              - matches: [{path: {type: PathPrefix, value: /from-web-backend}}]
                backendRefs: [{name: web-backend, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: other-address
              namespace: gateway-conformance-infra
            spec:
              gatewayClassName: higress
              addresses:
              - type: IPAddress
                value: 127.0.0.2
              listeners:
              - name: http
                port: PORT(other-address)
                protocol: HTTP
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: on-other-address
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: other-address}]
              rules:
              - backendRefs: [{name: infra-backend-v3, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: shared-default
              namespace: gateway-conformance-infra
            spec:
              gatewayClassName: higress
              listeners:
              - name: http
                port: PORT(shared-port)
                protocol: HTTP
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: shared-default-route
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: shared-default}]
              rules:
              - backendRefs: [{name: infra-backend-v1, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: shared-3
              namespace: gateway-conformance-infra
            spec:
              gatewayClassName: higress
              addresses: [{type: IPAddress, value: 127.0.0.3}]
              listeners:
              - name: http
                port: PORT(shared-port)
                protocol: HTTP
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: shared-3-route
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: shared-3}]
              rules:
              - backendRefs: [{name: infra-backend-v2, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: shared-4
              namespace: gateway-conformance-infra
            spec:
              gatewayClassName: higress
              addresses: [{type: IPAddress, value: 127.0.0.4}]
              listeners:
              - name: http
                port: PORT(shared-port)
                protocol: HTTP
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: shared-4-route
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: shared-4}]
              rules:
              - backendRefs: [{name: infra-backend-v3, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: shared-a
              namespace: gateway-conformance-infra
            spec:
              gatewayClassName: higress
              listeners:
              - name: http
                port: PORT(shared-hosts)
                protocol: HTTP
                hostname: a.example.com
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: shared-a-route
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: shared-a}]
              rules:
              - backendRefs: [{name: infra-backend-v1, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: shared-b
              namespace: gateway-conformance-infra
            spec:
              gatewayClassName: higress
              listeners:
              - name: http
                port: PORT(shared-hosts)
                protocol: HTTP
                hostname: b.example.com
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: shared-b-route
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: shared-b}]
              rules:
              - backendRefs: [{name: infra-backend-v2, port: 8080}]
            """;
    }
}
