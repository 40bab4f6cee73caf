using Higress.EndToEnd.Tests.Infrastructure;

namespace Higress.EndToEnd.Tests.GatewayApi;

/// <summary>
/// HTTPRouteSimpleSameNamespace, HTTPRouteCrossNamespace, HTTPRouteReferenceGrant, HTTPRouteInvalidCrossNamespaceBackendRef,
/// HTTPRouteInvalidCrossNamespaceParentRef, HTTPRouteDisallowedKind-style allowedRoutes checks and the 404 rule.
/// </summary>
public sealed class BasicRoutingTests(BasicRoutingTests.Fixture fixture) : IClassFixture<BasicRoutingTests.Fixture>
{
    private ConformanceWorld World => fixture.World;

    [Fact]
    public async Task SimpleSameNamespace_RouteReachesBackend()
    {
        var echo = await World.ExpectBackendAsync("same-namespace", "example.com", "/", "infra-backend-v1");
        Assert.Equal("/", echo.PathOnly);
        Assert.Equal("GET", echo.Method);
    }

    [Fact]
    public async Task CrossNamespace_RouteInBackendNamespaceAttachesToSelectorGateway()
    {
        await World.ExpectBackendAsync("backend-namespaces", "example.com", "/", "web-backend");
    }

    [Fact]
    public async Task CrossNamespaceBackendRef_WithReferenceGrant_IsServed()
    {
        await World.ExpectBackendAsync("all-namespaces", "granted.example.com", "/", "web-backend");
    }

    [Fact]
    public async Task CrossNamespaceBackendRef_WithoutReferenceGrant_Answers500()
    {
        await World.ExpectStatusAsync("all-namespaces", "not-granted.example.com", "/", 500);
    }

    [Fact]
    public async Task CrossNamespaceBackendRef_WithoutReferenceGrant_ReportsRefNotPermitted()
    {
        var dump = await World.Gateway.Client.ConfigDumpAsync();
        var status = dump["statuses"]!.AsArray().Single(s => ((string?)s!["object"])!.Contains("not-granted", StringComparison.Ordinal));
        var json = status!.ToJsonString();
        Assert.Contains("RefNotPermitted", json, StringComparison.Ordinal);
        Assert.Contains("ResolvedRefs", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PartiallyInvalidViaReferenceGrant_GrantedRuleServes_OtherRuleAnswers500()
    {
        // Grants exist in app-backend, but only for app-backend-v2 (HTTPRoute from infra), for another namespace or another kind.
        await World.ExpectBackendAsync("all-namespaces", "partially-granted.example.com", "/v2", "app-backend-v2");
        await World.ExpectStatusAsync("all-namespaces", "partially-granted.example.com", "/v1", 500);
    }

    [Fact]
    public async Task InvalidCrossNamespaceParentRef_RouteIsNotServed()
    {
        // The route in web-backend names same-namespace (from: Same) in infra: not allowed, so nothing answers.
        await World.ExpectStatusAsync("same-namespace", "invalid-parent.example.com", "/invalid-parent", 404);
    }

    [Fact]
    public async Task AllowedRoutesSelector_RouteFromUnlabelledNamespaceIsRejected()
    {
        // The backend-namespaces Gateway only admits namespaces labelled gateway-conformance=backend; infra is not.
        await World.ExpectStatusAsync("backend-namespaces", "infra-route.example.com", "/infra-route", 404);
    }

    [Fact]
    public async Task AllowedRoutesKinds_GrpcRouteOnlyListener_RejectsHttpRoute()
    {
        await World.ExpectStatusAsync("grpc-only", "example.com", "/", 404);
        var dump = await World.Gateway.Client.ConfigDumpAsync();
        var status = dump["statuses"]!.AsArray().Single(s => ((string?)s!["object"])!.EndsWith("/disallowed-kind", StringComparison.Ordinal));
        Assert.Contains("NotAllowedByListeners", status!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GatewayInvalidRouteKind_ListenerReportsInvalidRouteKinds_AndAcceptsNoHttpRoute()
    {
        await World.ExpectStatusAsync("invalid-route-kind", "example.com", "/", 404);
        var dump = await World.Gateway.Client.ConfigDumpAsync();
        var status = dump["statuses"]!.AsArray().Single(s => (string?)s!["object"] == "Gateway gateway-conformance-infra/gateway-only-invalid-route-kind");
        Assert.Contains("InvalidRouteKinds", status!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NothingMatches_Answers404()
    {
        await World.ExpectStatusAsync("same-namespace", "example.com", "/nothing-here", 404);
        await World.ExpectStatusAsync("backend-namespaces", "example.com", "/nothing-here", 404);
    }

    [Fact]
    public async Task GatewayApiGateway_ReportsAcceptedAndProgrammed()
    {
        var dump = await World.Gateway.Client.ConfigDumpAsync();
        var status = dump["statuses"]!.AsArray().Single(s => (string?)s!["object"] == $"Gateway {ConformanceWorld.Infra}/same-namespace");
        var conditions = status!["conditions"]!.AsArray();
        Assert.Contains(conditions, c => (string?)c!["type"] == "Accepted" && (bool?)c["status"] == true);
        Assert.Contains(conditions, c => (string?)c!["type"] == "Programmed" && (bool?)c["status"] == true);
    }

    public sealed class Fixture : WorldFixture
    {
        protected override string Scenario => """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: gateway-conformance-infra-test
              namespace: gateway-conformance-infra
            spec:
              parentRefs:
              - name: same-namespace
              rules:
              - matches:
                - path: {type: PathPrefix, value: /}
                  headers: [{name: x-never, value: never}]
                backendRefs:
                - name: infra-backend-v2
                  port: 8080
              - matches:
                - path: {type: Exact, value: /}
                backendRefs:
                - name: infra-backend-v1
                  port: 8080
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: cross-namespace
              namespace: gateway-conformance-web-backend
            spec:
              parentRefs:
              - name: backend-namespaces
                namespace: gateway-conformance-infra
              rules:
              - matches:
                - path: {type: Exact, value: /}
                backendRefs:
                - name: web-backend
                  port: 8080
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: infra-route
              namespace: gateway-conformance-infra
            spec:
              parentRefs:
              - name: backend-namespaces
              hostnames: [infra-route.example.com]
              rules:
              - matches:
                - path: {type: PathPrefix, value: /infra-route}
                backendRefs:
                - name: infra-backend-v1
                  port: 8080
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: granted
              namespace: gateway-conformance-infra
            spec:
              parentRefs:
              - name: all-namespaces
              hostnames: [granted.example.com]
              rules:
              - backendRefs:
                - name: web-backend
                  namespace: gateway-conformance-web-backend
                  port: 8080
            ---
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: ReferenceGrant
            metadata:
              name: allow-infra-to-web-backend
              namespace: gateway-conformance-web-backend
            spec:
              from:
              - group: gateway.networking.k8s.io
                kind: HTTPRoute
                namespace: gateway-conformance-infra
              to:
              - group: ""
                kind: Service
                name: web-backend
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: not-granted
              namespace: gateway-conformance-infra
            spec:
              parentRefs:
              - name: all-namespaces
              hostnames: [not-granted.example.com]
              rules:
              - backendRefs:
                - name: app-backend-v1
                  namespace: gateway-conformance-app-backend
                  port: 8080
            ---
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: ReferenceGrant
            metadata:
              name: grant-for-another-service
              namespace: gateway-conformance-app-backend
            spec:
              from:
              - group: gateway.networking.k8s.io
                kind: HTTPRoute
                namespace: gateway-conformance-infra
              to:
              - group: ""
                kind: Service
                name: app-backend-v2
            ---
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: ReferenceGrant
            metadata:
              name: grants-for-other-namespaces-and-kinds
              namespace: gateway-conformance-app-backend
            spec:
              from:
              - group: gateway.networking.k8s.io
                kind: HTTPRoute
                namespace: gateway-conformance-web-backend
              - group: gateway.networking.k8s.io
                kind: GRPCRoute
                namespace: gateway-conformance-infra
              to:
              - group: ""
                kind: Service
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: partially-granted
              namespace: gateway-conformance-infra
            spec:
              parentRefs:
              - name: all-namespaces
              hostnames: [partially-granted.example.com]
              rules:
              - matches:
                - path: {type: PathPrefix, value: /v2}
                backendRefs:
                - name: app-backend-v2
                  namespace: gateway-conformance-app-backend
                  port: 8080
              - matches:
                - path: {type: PathPrefix, value: /v1}
                backendRefs:
                - name: app-backend-v1
                  namespace: gateway-conformance-app-backend
                  port: 8080
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: invalid-parent
              namespace: gateway-conformance-web-backend
            spec:
              parentRefs:
              - name: same-namespace
                namespace: gateway-conformance-infra
              hostnames: [invalid-parent.example.com]
              rules:
              - backendRefs:
                - name: web-backend
                  port: 8080
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: grpc-only
              namespace: gateway-conformance-infra
            spec:
              gatewayClassName: higress
              listeners:
              - name: grpc
                port: PORT(grpc-only)
                protocol: HTTP
                allowedRoutes:
                  kinds:
                  - kind: GRPCRoute
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: gateway-only-invalid-route-kind
              namespace: gateway-conformance-infra
            spec:
              gatewayClassName: higress
              listeners:
              - name: http
                port: PORT(invalid-route-kind)
                protocol: HTTP
                allowedRoutes:
                  kinds:
                  - kind: FooRoute
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: to-invalid-route-kind
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: gateway-only-invalid-route-kind}]
              rules:
              - backendRefs: [{name: infra-backend-v1, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: disallowed-kind
              namespace: gateway-conformance-infra
            spec:
              parentRefs:
              - name: grpc-only
              rules:
              - backendRefs:
                - name: infra-backend-v1
                  port: 8080
            """;
    }
}
