using Higress.Core.Resources;

namespace Higress.Core.Tests.Resources;

public class GatewayApiParsingTests
{
    [Fact]
    public void Httproute_defaults_follow_the_crds()
    {
        var result = ResourceParserTests.Parse("""
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: HTTPRoute
            metadata: {name: r, namespace: shop}
            spec:
              parentRefs: [{name: gw}]
              rules:
              - backendRefs: [{name: orders, port: 8080}]
              - matches:
                - headers: [{name: x-a, value: b}]
                  queryParams: [{name: q, value: "1", type: RegularExpression}]
                  method: GET
                filters:
                - type: RequestHeaderModifier
                  requestHeaderModifier: {set: [{name: x-a, value: "1"}], remove: [x-b]}
                - type: URLRewrite
                  urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2}}
                backendRefs: [{name: orders, port: 8080, weight: 0}]
                timeouts: {request: 10s, backendRequest: 2s}
            """);

        Assert.Empty(result.Diagnostics);
        var route = Assert.IsType<HttpRoute>(Assert.Single(result.Resources));
        Assert.Equal("gateway.networking.k8s.io/v1beta1", route.ApiVersion);
        var parent = route.Spec.ParentRefs[0];
        Assert.Equal(("gateway.networking.k8s.io", "Gateway", null), (parent.Group, parent.Kind, parent.Namespace));
        var first = route.Spec.Rules[0];
        var match = Assert.Single(first.Matches);
        Assert.Equal(PathMatchType.PathPrefix, match.Path.Type);
        Assert.Equal("/", match.Path.Value);
        var backend = first.BackendRefs[0];
        Assert.Equal((string.Empty, "Service", 1), (backend.Group, backend.Kind, backend.Weight));
        var second = route.Spec.Rules[1];
        Assert.Equal("/", second.Matches[0].Path.Value);
        Assert.Equal(ValueMatchType.Exact, second.Matches[0].Headers[0].Type);
        Assert.Equal(ValueMatchType.RegularExpression, second.Matches[0].QueryParams[0].Type);
        Assert.Equal(HttpRouteFilterType.UrlRewrite, second.Filters[1].Type);
        Assert.Equal("/v2", second.Filters[1].UrlRewrite!.Path!.ReplacePrefixMatch);
        Assert.Equal(0, second.BackendRefs[0].Weight);
        Assert.Equal(TimeSpan.FromSeconds(2), second.Timeouts!.BackendRequest);
    }

    [Fact]
    public void Empty_matches_default_to_prefix_root()
    {
        var rule = new HttpRouteRule { Matches = [] };

        var match = Assert.Single(rule.Matches);
        Assert.Equal(PathMatchType.PathPrefix, match.Path.Type);
        Assert.Equal(new HttpRouteRule(), rule);
    }

    [Fact]
    public void Gateway_gatewayclass_grpcroute_and_referencegrant_parse()
    {
        var result = ResourceParserTests.Parse("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: GatewayClass
            metadata: {name: higress}
            spec: {controllerName: higress.io/gateway-controller}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: gw, namespace: infra}
            spec:
              gatewayClassName: higress
              listeners:
              - name: https
                hostname: "*.example.com"
                port: 443
                protocol: HTTPS
                tls: {mode: Terminate, certificateRefs: [{name: cert}]}
                allowedRoutes:
                  namespaces: {from: Selector, selector: {matchLabels: {gw: "yes"}, matchExpressions: [{key: env, operator: In, values: [prod]}]}}
                  kinds: [{kind: HTTPRoute}]
              addresses: [{value: 10.0.0.1}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: GRPCRoute
            metadata: {name: g}
            spec:
              parentRefs: [{name: gw, namespace: infra, sectionName: https}]
              rules:
              - matches: [{method: {service: foo.Greeter, method: SayHello}}]
                backendRefs: [{name: greeter, port: 50051}]
            ---
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: ReferenceGrant
            metadata: {name: allow, namespace: shop}
            spec:
              from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: infra}]
              to: [{group: "", kind: Service}]
            """);

        Assert.Empty(result.Diagnostics);
        var gatewayClass = Assert.IsType<GatewayClass>(result.Resources[0]);
        Assert.Equal(string.Empty, gatewayClass.Namespace);
        Assert.Equal("GatewayClass higress", gatewayClass.Display);
        var gateway = Assert.IsType<Gateway>(result.Resources[1]);
        var listener = gateway.Spec.Listeners[0];
        Assert.Equal(TlsMode.Terminate, listener.Tls!.Mode);
        Assert.Equal("Secret", listener.Tls.CertificateRefs[0].Kind);
        Assert.Equal(FromNamespaces.Selector, listener.AllowedRoutes.Namespaces.From);
        Assert.True(listener.AllowedRoutes.Namespaces.Selector!.Matches(new Dictionary<string, string> { ["gw"] = "yes", ["env"] = "prod" }));
        Assert.False(listener.AllowedRoutes.Namespaces.Selector!.Matches(new Dictionary<string, string> { ["gw"] = "yes" }));
        Assert.Equal("gateway.networking.k8s.io", listener.AllowedRoutes.Kinds[0].Group);
        Assert.Equal("IPAddress", gateway.Spec.Addresses[0].Type);
        var grpc = Assert.IsType<GrpcRoute>(result.Resources[2]);
        Assert.Equal(ValueMatchType.Exact, grpc.Spec.Rules[0].Matches[0].Method!.Type);
        Assert.IsType<ReferenceGrant>(result.Resources[3]);
    }

    [Fact]
    public void Wasmplugin_name_comes_from_the_image()
    {
        var result = ResourceParserTests.Parse("""
            apiVersion: extensions.higress.io/v1alpha1
            kind: WasmPlugin
            metadata: {name: key-auth, namespace: higress-system}
            spec:
              url: oci://higress-registry.cn-hangzhou.cr.aliyuncs.com/plugins/key-auth:1.0.0
              phase: AUTHN
              priority: 310
              defaultConfig: {consumers: [{name: c1, credential: k1}], keys: [x-api-key]}
              defaultConfigDisable: true
              matchRules:
              - ingress: [default/foo]
                config: {allow: [c1]}
              - domain: ["*.example.com"]
                configDisable: true
            """);

        Assert.Empty(result.Diagnostics);
        var plugin = Assert.IsType<WasmPlugin>(Assert.Single(result.Resources));
        Assert.Equal("key-auth", plugin.Spec.EffectivePluginName);
        Assert.Equal(PluginPhase.Authn, plugin.Spec.Phase);
        Assert.Equal(2, plugin.Spec.MatchRules.Count);
        Assert.Equal("basic-auth", WasmPluginSpec.PluginNameFromUrl("oci://r.io/a/basic-auth@sha256:abc"));
        Assert.Equal("my-plugin", WasmPluginSpec.PluginNameFromUrl("file:///opt/plugins/my-plugin.wasm"));
    }

    [Fact]
    public void Serviceentry_endpointslice_and_endpoints_parse()
    {
        var result = ResourceParserTests.Parse("""
            apiVersion: networking.higress.io/v1alpha1
            kind: ServiceEntry
            metadata: {name: ext}
            spec:
              hosts: [api.external.com]
              ports: [{number: 443, protocol: HTTPS, name: https}]
              resolution: DNS_ROUND_ROBIN
              endpoints: [{address: 1.2.3.4, ports: {https: 8443}, labels: {v: "1"}, weight: 3}]
              subsets: [{name: v1, labels: {v: "1"}}]
              trafficPolicy:
                loadBalancer: {simple: LEAST_REQUEST}
                connectionPool: {tcp: {maxConnections: 100}}
                outlierDetection: {consecutive5xxErrors: 5, interval: 10s, baseEjectionTime: 30s}
                tls: {mode: SIMPLE, sni: api.external.com}
                healthCheck: {path: /healthz, interval: 5s}
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: orders-abc, labels: {kubernetes.io/service-name: orders}}
            addressType: IPv4
            endpoints: [{addresses: [10.0.0.1], conditions: {ready: true}}]
            ports: [{name: http, port: 8080, protocol: TCP}]
            ---
            apiVersion: v1
            kind: Endpoints
            metadata: {name: orders}
            subsets: [{addresses: [{ip: 10.0.0.2}], ports: [{port: 8080}]}]
            """);

        Assert.Empty(result.Diagnostics);
        var entry = Assert.IsType<ServiceEntry>(result.Resources[0]);
        Assert.Equal(ServiceEntryResolution.DnsRoundRobin, entry.Spec.Resolution);
        Assert.Equal(8443, entry.Spec.Endpoints[0].Ports["https"]);
        Assert.Equal(TimeSpan.FromSeconds(30), entry.Spec.TrafficPolicy!.OutlierDetection!.BaseEjectionTime);
        Assert.Equal("/healthz", entry.Spec.TrafficPolicy.HealthCheck!.Path);
        var slice = Assert.IsType<EndpointSlice>(result.Resources[1]);
        Assert.Equal("orders", slice.ServiceName);
        Assert.True(slice.Endpoints[0].Conditions.Ready);
        Assert.Equal("10.0.0.2", Assert.IsType<Endpoints>(result.Resources[2]).Subsets[0].Addresses[0].Ip);
    }

    [Fact]
    public void Kubectl_output_reads_without_warnings()
    {
        var result = ResourceParserTests.Parse("""
            apiVersion: v1
            kind: Service
            metadata:
              name: orders
              namespace: shop
              uid: 6f1c-11
              resourceVersion: "12345"
              generation: 3
              creationTimestamp: "2024-05-01T10:00:00Z"
              managedFields: [{manager: kubectl}]
              ownerReferences: [{kind: Deployment, name: x}]
              annotations: {kubectl.kubernetes.io/last-applied-configuration: "{}"}
            spec:
              clusterIP: 10.96.0.10
              clusterIPs: [10.96.0.10]
              ipFamilies: [IPv4]
              ipFamilyPolicy: SingleStack
              sessionAffinity: None
              type: ClusterIP
              selector: {app: orders}
              ports: [{name: http, port: 80, protocol: TCP, targetPort: 8080, appProtocol: http}]
            status: {loadBalancer: {}}
            """);

        Assert.Empty(result.Diagnostics);
        var service = Assert.IsType<Service>(Assert.Single(result.Resources));
        Assert.Equal(("6f1c-11", "12345", 3L), (service.Metadata.Uid, service.Metadata.ResourceVersion, service.Metadata.Generation));
        Assert.Equal("http", service.Spec.Ports[0].AppProtocol);
    }
}
