using Higress.Core.Plan;
using Higress.Core.Resources;
using NativeRule = Higress.Core.Resources.RouteRule;

namespace Higress.Core.Translation;

/// <summary>A listener of a native or Gateway API Gateway during translation.</summary>
internal sealed class GatewayListener
{
    public GatewayListener(Resource gateway, ListenerPlan plan, int index, AllowedRoutes allowedRoutes, EquatableArray<NativeRule> inlineRoutes)
    {
        Gateway = gateway;
        Plan = plan;
        Index = index;
        AllowedRoutes = allowedRoutes;
        InlineRoutes = inlineRoutes;
    }

    public Resource Gateway { get; }

    public bool IsNative => Gateway is HigressGateway;

    public ListenerPlan Plan { get; set; }

    public int Index { get; }

    public string Name => Plan.Name;

    public AllowedRoutes AllowedRoutes { get; }

    public EquatableArray<NativeRule> InlineRoutes { get; }

    /// <summary>False when the listener cannot be opened (conflict, unsupported protocol).</summary>
    public bool Usable { get; set; } = true;

    public int AttachedRoutes { get; set; }

    /// <summary>The listener's TLS settings as written.</summary>
    public GatewayTls? Tls { get; init; }

    /// <summary>The listener's conditions, reported under the Gateway's status.</summary>
    public string StatusKey => "listener " + Name;

    /// <summary>Whether routes of <paramref name="kind"/> in <paramref name="routeNamespace"/> may attach.</summary>
    public bool Allows(string kind, string routeNamespace, ResourceSnapshot snapshot, out string reason)
    {
        var kinds = AllowedRoutes.Kinds;
        if (!kinds.IsEmpty && !kinds.Any(k => string.Equals(k.Kind, kind, StringComparison.Ordinal)))
        {
            reason = $"listener {Name} of {Gateway.Display} does not allow {kind} (allowedRoutes.kinds)";
            return false;
        }

        if (kinds.IsEmpty && !DefaultKinds(Plan.Protocol).Contains(kind))
        {
            reason = $"listener {Name} of {Gateway.Display} ({Plan.Protocol}) does not carry {kind}";
            return false;
        }

        var from = AllowedRoutes.Namespaces;
        var allowed = from.From switch
        {
            FromNamespaces.All => true,
            FromNamespaces.Selector => from.Selector is { } selector && selector.Matches(NamespaceLabels(snapshot, routeNamespace)),
            _ => string.Equals(routeNamespace, Gateway.Namespace, StringComparison.Ordinal),
        };
        reason = allowed ? string.Empty : $"listener {Name} of {Gateway.Display} does not allow routes from namespace {routeNamespace} (allowedRoutes.namespaces.from: {from.From})";
        return allowed;
    }

    /// <summary>The kinds in <c>allowedRoutes.kinds</c> that this listener cannot carry (reported as <c>InvalidRouteKinds</c>).</summary>
    public IReadOnlyList<string> UnsupportedKinds() => AllowedRoutes.Kinds
        .Where(k => !DefaultKinds(Plan.Protocol).Contains(k.Kind))
        .Select(k => string.IsNullOrEmpty(k.Group) ? k.Kind : $"{k.Group}/{k.Kind}")
        .ToList();

    private static IReadOnlyDictionary<string, string> NamespaceLabels(ResourceSnapshot snapshot, string ns)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal) { ["kubernetes.io/metadata.name"] = ns };
        if (snapshot.Get<KubernetesNamespace>(string.Empty, ns) is { } nsObject)
        {
            foreach (var (key, value) in nsObject.Metadata.Labels)
            {
                labels[key] = value;
            }
        }

        return labels;
    }

    private static string[] DefaultKinds(ListenerProtocol protocol) => protocol switch
    {
        ListenerProtocol.Http or ListenerProtocol.Https or ListenerProtocol.Http2 => ["HTTPRoute", "GRPCRoute", "Route"],
        ListenerProtocol.Grpc => ["GRPCRoute", "HTTPRoute", "Route"],
        ListenerProtocol.Udp => ["UDPRoute"],
        ListenerProtocol.Tcp => ["TCPRoute", "Route"],
        ListenerProtocol.Tls => ["TLSRoute", "Route"],
        _ => [],
    };
}
