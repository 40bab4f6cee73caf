namespace Higress.Kubernetes.Watching;

/// <summary>One kind the source lists and watches, with where the API serves it.</summary>
/// <param name="Group">The API group; empty for the core group (<c>v1</c>).</param>
/// <param name="Version">The version read.</param>
/// <param name="Plural">The resource name in URLs (<c>routes</c>).</param>
/// <param name="Kind">The kind, set on listed items (a list's items carry no kind).</param>
/// <param name="Namespaced">False for cluster-scoped kinds (Namespace, GatewayClass).</param>
/// <param name="Optional">A CRD that may not be installed: a 404 on list means "not there (yet)", not a failure.</param>
internal sealed record WatchedKind(string Group, string Version, string Plural, string Kind, bool Namespaced, bool Optional)
{
    /// <summary>What the source watches: the native kinds, the Gateway API, WasmPlugin and the plain objects routes use.</summary>
    public static IReadOnlyList<WatchedKind> All { get; } =
    [
        new("networking.higress.io", "v1alpha1", "gateways", "Gateway", true, true),
        new("networking.higress.io", "v1alpha1", "routes", "Route", true, true),
        new("networking.higress.io", "v1alpha1", "serviceentries", "ServiceEntry", true, true),
        new("networking.higress.io", "v1alpha1", "extensions", "Extension", true, true),
        new("gateway.networking.k8s.io", "v1", "gatewayclasses", "GatewayClass", false, true),
        new("gateway.networking.k8s.io", "v1", "gateways", "Gateway", true, true),
        new("gateway.networking.k8s.io", "v1", "httproutes", "HTTPRoute", true, true),
        new("gateway.networking.k8s.io", "v1", "grpcroutes", "GRPCRoute", true, true),
        new("gateway.networking.k8s.io", "v1alpha2", "udproutes", "UDPRoute", true, true),
        new("gateway.networking.k8s.io", "v1alpha2", "tcproutes", "TCPRoute", true, true),
        new("gateway.networking.k8s.io", "v1alpha2", "tlsroutes", "TLSRoute", true, true),
        new("gateway.networking.k8s.io", "v1beta1", "referencegrants", "ReferenceGrant", true, true),
        new("gateway.networking.k8s.io", "v1", "backendtlspolicies", "BackendTLSPolicy", true, true),
        new("extensions.higress.io", "v1alpha1", "wasmplugins", "WasmPlugin", true, true),
        new(string.Empty, "v1", "namespaces", "Namespace", false, false),
        new(string.Empty, "v1", "services", "Service", true, false),
        new(string.Empty, "v1", "secrets", "Secret", true, false),
        new(string.Empty, "v1", "configmaps", "ConfigMap", true, false),
        new("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", true, false),
    ];

    /// <summary><c>networking.higress.io/v1alpha1</c>, or <c>v1</c> for the core group.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The collection's path, in one namespace or (null) across all.</summary>
    /// <param name="ns">The namespace; null for all namespaces or a cluster-scoped kind.</param>
    public string Path(string? ns)
    {
        var prefix = Group.Length == 0 ? $"api/{Version}" : $"apis/{Group}/{Version}";
        return ns is null ? $"{prefix}/{Plural}" : $"{prefix}/namespaces/{Uri.EscapeDataString(ns)}/{Plural}";
    }

    /// <inheritdoc />
    public override string ToString() => $"{Plural}.{(Group.Length == 0 ? "core" : Group)}";
}
