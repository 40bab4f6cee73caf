namespace Higress.Core.Resources.Parsing;

/// <summary>Which record type reads each apiVersion and kind.</summary>
internal static class ResourceTypes
{
    /// <summary>(group, kind) → record type and the versions accepted.</summary>
    private static readonly Dictionary<ResourceKind, (Type Type, string[] Versions)> Types = new()
    {
        [ResourceKinds.HigressGateway] = (typeof(HigressGateway), ["v1alpha1"]),
        [ResourceKinds.Route] = (typeof(Route), ["v1alpha1"]),
        [ResourceKinds.ServiceEntry] = (typeof(ServiceEntry), ["v1alpha1"]),
        [ResourceKinds.Extension] = (typeof(Extension), ["v1alpha1"]),
        [ResourceKinds.GatewayClass] = (typeof(GatewayClass), ["v1", "v1beta1"]),
        [ResourceKinds.Gateway] = (typeof(Gateway), ["v1", "v1beta1"]),
        [ResourceKinds.HttpRoute] = (typeof(HttpRoute), ["v1", "v1beta1"]),
        [ResourceKinds.GrpcRoute] = (typeof(GrpcRoute), ["v1", "v1alpha2"]),
        [ResourceKinds.UdpRoute] = (typeof(UdpRoute), ["v1alpha2"]),
        [ResourceKinds.TcpRoute] = (typeof(TcpRoute), ["v1alpha2"]),
        [ResourceKinds.TlsRoute] = (typeof(TlsRoute), ["v1alpha2", "v1alpha3"]),
        [ResourceKinds.ReferenceGrant] = (typeof(ReferenceGrant), ["v1beta1", "v1alpha2", "v1"]),
        [ResourceKinds.BackendTlsPolicy] = (typeof(BackendTlsPolicy), ["v1", "v1alpha3"]),
        [ResourceKinds.WasmPlugin] = (typeof(WasmPlugin), ["v1alpha1"]),
        [ResourceKinds.Namespace] = (typeof(KubernetesNamespace), ["v1"]),
        [ResourceKinds.Service] = (typeof(Service), ["v1"]),
        [ResourceKinds.Endpoints] = (typeof(Endpoints), ["v1"]),
        [ResourceKinds.Secret] = (typeof(Secret), ["v1"]),
        [ResourceKinds.ConfigMap] = (typeof(ConfigMap), ["v1"]),
        [ResourceKinds.EndpointSlice] = (typeof(EndpointSlice), ["v1"]),
    };

    /// <summary>Every record type, for reflection (docs checks).</summary>
    public static IEnumerable<Type> All => Types.Values.Select(v => v.Type);

    /// <summary>Every kind with its record type and apiVersions, for reflection (the configuration schema).</summary>
    public static IEnumerable<(ResourceKind Kind, Type Type, string[] Versions)> Entries => Types.Select(t => (t.Key, t.Value.Type, t.Value.Versions));

    public static bool IsKnownKind(ResourceKind kind) => Types.ContainsKey(kind);

    public static Type? Find(string apiVersion, string kind, out string[] versions)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var group = slash < 0 ? string.Empty : apiVersion[..slash];
        var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        if (Types.TryGetValue(new ResourceKind(group, kind), out var entry))
        {
            versions = entry.Versions;
            return entry.Versions.Contains(version) ? entry.Type : null;
        }

        versions = [];
        return null;
    }
}
