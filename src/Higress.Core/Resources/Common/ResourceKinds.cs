namespace Higress.Core.Resources;

/// <summary>The API versions and kinds Higress.Net reads.</summary>
public static class ResourceKinds
{
    /// <summary><c>networking.higress.io</c>.</summary>
    public const string HigressNetworkingGroup = "networking.higress.io";

    /// <summary><c>networking.higress.io/v1alpha1</c>: native Gateway, Route, ServiceEntry, Extension.</summary>
    public const string HigressNetworkingV1Alpha1 = "networking.higress.io/v1alpha1";

    /// <summary><c>gateway.networking.k8s.io</c>.</summary>
    public const string GatewayApiGroup = "gateway.networking.k8s.io";

    /// <summary><c>gateway.networking.k8s.io/v1</c>.</summary>
    public const string GatewayApiV1 = "gateway.networking.k8s.io/v1";

    /// <summary><c>gateway.networking.k8s.io/v1beta1</c> (ReferenceGrant; also accepted for Gateway and HTTPRoute).</summary>
    public const string GatewayApiV1Beta1 = "gateway.networking.k8s.io/v1beta1";

    /// <summary><c>gateway.networking.k8s.io/v1alpha2</c>: TCPRoute, TLSRoute and UDPRoute.</summary>
    public const string GatewayApiV1Alpha2 = "gateway.networking.k8s.io/v1alpha2";

    /// <summary><c>extensions.higress.io</c>.</summary>
    public const string HigressExtensionsGroup = "extensions.higress.io";

    /// <summary><c>extensions.higress.io/v1alpha1</c>: WasmPlugin.</summary>
    public const string HigressExtensionsV1Alpha1 = "extensions.higress.io/v1alpha1";

    /// <summary><c>v1</c>: the Kubernetes core group.</summary>
    public const string CoreV1 = "v1";

    /// <summary><c>discovery.k8s.io</c>.</summary>
    public const string DiscoveryGroup = "discovery.k8s.io";

    /// <summary><c>discovery.k8s.io/v1</c>: EndpointSlice.</summary>
    public const string DiscoveryV1 = "discovery.k8s.io/v1";

    /// <summary>Native Higress Gateway.</summary>
    public static readonly ResourceKind HigressGateway = new(HigressNetworkingGroup, "Gateway");

    /// <summary>Native Higress Route.</summary>
    public static readonly ResourceKind Route = new(HigressNetworkingGroup, "Route");

    /// <summary>Native Higress ServiceEntry.</summary>
    public static readonly ResourceKind ServiceEntry = new(HigressNetworkingGroup, "ServiceEntry");

    /// <summary>Native Higress Extension (a plugin instance).</summary>
    public static readonly ResourceKind Extension = new(HigressNetworkingGroup, "Extension");

    /// <summary>Gateway API GatewayClass.</summary>
    public static readonly ResourceKind GatewayClass = new(GatewayApiGroup, "GatewayClass");

    /// <summary>Gateway API Gateway.</summary>
    public static readonly ResourceKind Gateway = new(GatewayApiGroup, "Gateway");

    /// <summary>Gateway API HTTPRoute.</summary>
    public static readonly ResourceKind HttpRoute = new(GatewayApiGroup, "HTTPRoute");

    /// <summary>Gateway API GRPCRoute.</summary>
    public static readonly ResourceKind GrpcRoute = new(GatewayApiGroup, "GRPCRoute");

    /// <summary>Gateway API UDPRoute.</summary>
    public static readonly ResourceKind UdpRoute = new(GatewayApiGroup, "UDPRoute");

    /// <summary>Gateway API TCPRoute.</summary>
    public static readonly ResourceKind TcpRoute = new(GatewayApiGroup, "TCPRoute");

    /// <summary>Gateway API TLSRoute.</summary>
    public static readonly ResourceKind TlsRoute = new(GatewayApiGroup, "TLSRoute");

    /// <summary>Gateway API ReferenceGrant.</summary>
    public static readonly ResourceKind ReferenceGrant = new(GatewayApiGroup, "ReferenceGrant");

    /// <summary>Gateway API BackendTLSPolicy.</summary>
    public static readonly ResourceKind BackendTlsPolicy = new(GatewayApiGroup, "BackendTLSPolicy");

    /// <summary>Higress WasmPlugin.</summary>
    public static readonly ResourceKind WasmPlugin = new(HigressExtensionsGroup, "WasmPlugin");

    /// <summary>Kubernetes Namespace.</summary>
    public static readonly ResourceKind Namespace = new(string.Empty, "Namespace");

    /// <summary>Kubernetes Service.</summary>
    public static readonly ResourceKind Service = new(string.Empty, "Service");

    /// <summary>Kubernetes Endpoints.</summary>
    public static readonly ResourceKind Endpoints = new(string.Empty, "Endpoints");

    /// <summary>Kubernetes Secret.</summary>
    public static readonly ResourceKind Secret = new(string.Empty, "Secret");

    /// <summary>Kubernetes ConfigMap.</summary>
    public static readonly ResourceKind ConfigMap = new(string.Empty, "ConfigMap");

    /// <summary>Kubernetes EndpointSlice.</summary>
    public static readonly ResourceKind EndpointSlice = new(DiscoveryGroup, "EndpointSlice");

    /// <summary>The group of an apiVersion: <c>networking.higress.io/v1alpha1</c> → <c>networking.higress.io</c>, <c>v1</c> → empty.</summary>
    /// <param name="apiVersion">An apiVersion.</param>
    public static string GroupOf(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? string.Empty : apiVersion[..slash];
    }
}
