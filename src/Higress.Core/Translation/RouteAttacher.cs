using Higress.Core.Plan;
using Higress.Core.Resources;

namespace Higress.Core.Translation;

/// <summary>
/// Attaches routes to listeners: by Gateway API <c>parentRefs</c> (with sectionName and port) or by the native
/// <c>gateways</c> list, honouring each listener's <c>allowedRoutes</c> and intersecting hostnames. Writes the
/// per-parent <c>Accepted</c> conditions.
/// </summary>
internal sealed class RouteAttacher
{
    private readonly TranslationContext _context;
    private readonly ILookup<(bool Native, string Namespace, string Name), GatewayListener> _byGateway;

    public RouteAttacher(TranslationContext context, IReadOnlyList<GatewayListener> listeners)
    {
        _context = context;
        _byGateway = listeners.ToLookup(l => (l.IsNative, l.Gateway.Namespace, l.Gateway.Name));
    }

    /// <summary>Attaches a Gateway API route through its parentRefs.</summary>
    public List<RouteAttachment> ByParentRefs(Resource route, EquatableArray<ParentReference> parentRefs, IReadOnlyList<string> hostnames, StatusBuilder status)
    {
        var result = new List<RouteAttachment>();
        for (var i = 0; i < parentRefs.Count; i++)
        {
            var parent = parentRefs[i];
            var ns = parent.Namespace ?? route.Namespace;
            var native = parent.Group == ResourceKinds.HigressNetworkingGroup;
            if (parent.Kind != "Gateway" || (!native && parent.Group != ResourceKinds.GatewayApiGroup))
            {
                continue;
            }

            var listeners = _byGateway[(native, ns, parent.Name)].ToList();
            if (listeners.Count == 0)
            {
                // Not one of ours (another controller's class, or absent): leave its status alone.
                continue;
            }

            var key = ParentKey(ns, parent.Name, parent.SectionName, parent.Port);
            var candidates = listeners
                .Where(l => parent.SectionName is null || l.Name == parent.SectionName)
                .Where(l => parent.Port is null || l.Plan.Port == parent.Port)
                .ToList();
            if (candidates.Count == 0)
            {
                status.SetParent(key, "Accepted", false, "NoMatchingParent", $"spec.parentRefs[{i}]: Gateway {ns}/{parent.Name} has no listener named '{parent.SectionName}'{(parent.Port is null ? string.Empty : $" on port {parent.Port}")}; fix sectionName or port");
                _context.Error(route, $"spec.parentRefs[{i}]", $"Gateway {ns}/{parent.Name} has no matching listener", "fix sectionName or port");
                continue;
            }

            AttachTo(route, candidates, hostnames, status, key, result, $"spec.parentRefs[{i}]");
        }

        return result;
    }

    /// <summary>
    /// Attaches a native Route through <c>spec.gateways</c> (names or namespace/name; none = every native Gateway in its
    /// namespace) to the listeners that <paramref name="carries"/> (HTTP listeners when null): one Route holds HTTP and
    /// L4 rules, and each kind of rule attaches to the listeners that speak it.
    /// </summary>
    public List<RouteAttachment> ByGatewayNames(Resource route, EquatableArray<string> gateways, IReadOnlyList<string> hostnames, StatusBuilder status, Func<ListenerPlan, bool>? carries = null)
    {
        carries ??= static l => l.IsHttp;
        var result = new List<RouteAttachment>();
        if (gateways.IsEmpty)
        {
            var own = _byGateway.Where(g => g.Key.Native && g.Key.Namespace == route.Namespace).ToList();
            foreach (var group in own)
            {
                var carrying = group.Where(l => carries(l.Plan)).ToList();
                if (carrying.Count == 0)
                {
                    // A Gateway none of whose listeners speaks these rules' protocol is not a parent of them.
                    continue;
                }

                AttachTo(route, carrying, hostnames, status, ParentKey(group.Key.Namespace, group.Key.Name, null, null), result, "spec.gateways");
            }

            return result;
        }

        for (var i = 0; i < gateways.Count; i++)
        {
            var reference = gateways[i];
            var slash = reference.IndexOf('/', StringComparison.Ordinal);
            var (ns, name) = slash < 0 ? (route.Namespace, reference) : (reference[..slash], reference[(slash + 1)..]);
            var listeners = _byGateway[(true, ns, name)].Where(l => carries(l.Plan)).ToList();
            if (listeners.Count == 0)
            {
                listeners = _byGateway[(false, ns, name)].Where(l => carries(l.Plan)).ToList();
            }

            var key = ParentKey(ns, name, null, null);
            if (listeners.Count == 0)
            {
                status.SetParent(key, "Accepted", false, "NoMatchingParent", $"spec.gateways[{i}]: no Gateway {ns}/{name}; create it or fix the name");
                _context.Error(route, $"spec.gateways[{i}]", $"no Gateway {ns}/{name}", "create it or fix the name");
                continue;
            }

            AttachTo(route, listeners, hostnames, status, key, result, $"spec.gateways[{i}]");
        }

        return result;
    }

    private static string ParentKey(string ns, string name, string? section, int? port) =>
        $"Gateway {ns}/{name}" + (section is null ? string.Empty : "/" + section) + (port is null ? string.Empty : ":" + port);

    private void AttachTo(Resource route, List<GatewayListener> candidates, IReadOnlyList<string> hostnames, StatusBuilder status, string key, List<RouteAttachment> result, string field)
    {
        string? reason = null;
        string? message = null;
        var attached = false;
        foreach (var listener in candidates)
        {
            if (!listener.Usable)
            {
                (reason, message) = ("NoMatchingParent", $"listener {listener.Name} of {listener.Gateway.Display} is not open (see the Gateway's status)");
                continue;
            }

            if (!listener.Allows(route.Kind, route.Namespace, _context.Snapshot, out var why))
            {
                (reason, message) = ("NotAllowedByListeners", why);
                continue;
            }

            var common = Hostnames.Intersect(listener.Plan.Hostnames, hostnames, out var matched);
            if (!matched)
            {
                (reason, message) = ("NoMatchingListenerHostname", $"no hostname of the route intersects listener {listener.Name} ({string.Join(", ", listener.Plan.Hostnames)})");
                continue;
            }

            result.Add(new RouteAttachment(listener.Plan.Id, common.ToEquatableArray()));
            listener.AttachedRoutes++;
            attached = true;
        }

        if (attached)
        {
            status.SetParent(key, "Accepted", true, "Accepted", "attached");
        }
        else
        {
            status.SetParent(key, "Accepted", false, reason ?? "NoMatchingParent", message ?? "no listener accepted the route");
            _context.Warning(route, field, message ?? "no listener accepted the route", "check the listener's allowedRoutes, hostnames and status");
        }
    }
}
