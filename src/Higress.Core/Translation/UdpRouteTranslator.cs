using Higress.Core.Plan;
using Higress.Core.Resources;

namespace Higress.Core.Translation;

/// <summary>
/// Translates Gateway API UDPRoutes into datagram routes of UDP listeners. A UDP listener has nothing to tell routes
/// or rules apart by (no hostname, no path), so it serves one route (the oldest; later ones are reported) and the
/// route's first rule. Backends resolve like an HTTPRoute's, with their own resolver: they are not HTTP clusters.
/// </summary>
internal sealed class UdpRouteTranslator(TranslationContext context, RouteAttacher attacher)
{
    private readonly BackendResolver _backends = new(context);
    private readonly Dictionary<string, UdpRoute> _owners = new(StringComparer.Ordinal);

    /// <summary>Translates every UDPRoute of the snapshot, oldest first.</summary>
    public EquatableArray<UdpRoutePlan> TranslateAll()
    {
        var routes = context.Snapshot.OfType<UdpRoute>()
            .OrderBy(r => r.Metadata.CreationTimestamp ?? DateTimeOffset.MaxValue)
            .ThenBy(r => r.Metadata.CreationTimestamp is null ? r.Origin.ReadOrder : 0)
            .ThenBy(r => r.Namespace, StringComparer.Ordinal)
            .ThenBy(r => r.Name, StringComparer.Ordinal);
        var result = new List<UdpRoutePlan>();
        foreach (var route in routes)
        {
            if (Translate(route) is { } plan)
            {
                result.Add(plan);
            }
        }

        return result.ToEquatableArray();
    }

    private UdpRoutePlan? Translate(UdpRoute route)
    {
        var status = context.Status(route);
        var listeners = new List<string>();
        foreach (var attachment in attacher.ByParentRefs(route, route.Spec.ParentRefs, [], status))
        {
            if (_owners.TryGetValue(attachment.ListenerId, out var owner))
            {
                context.Warning(route, "spec.parentRefs", $"UDP listener {attachment.ListenerId} already forwards to {owner.Display}, the older route; this route is not served there", "attach this route to a UDP listener of its own, or delete one of the two");
                continue;
            }

            _owners[attachment.ListenerId] = route;
            listeners.Add(attachment.ListenerId);
        }

        for (var i = 1; i < route.Spec.Rules.Count; i++)
        {
            context.Warning(route, $"spec.rules[{i}]", "is ignored: a UDP listener has nothing to choose between rules by, so only rules[0] is served", "move these backendRefs into rules[0]");
        }

        var backends = new List<UdpBackendPlan>();
        var refsOk = true;
        var rule = route.Spec.Rules.FirstOrDefault();
        for (var b = 0; rule is not null && b < rule.BackendRefs.Count; b++)
        {
            var backendRef = rule.BackendRefs[b];
            var field = $"spec.rules[0].backendRefs[{b}]";
            if (!backendRef.Filters.IsEmpty)
            {
                context.Error(route, field + ".filters", "UDPRoute backends take no filters", "remove filters");
            }

            var resolved = _backends.ResolveBackendRef(route, backendRef, null);
            if (resolved.ClusterId is not { } clusterId)
            {
                refsOk = false;
                context.Error(route, field, resolved.Message!);
                status.SetAllParents("ResolvedRefs", false, resolved.Reason!, $"{field}: {resolved.Message}");
                continue;
            }

            backends.Add(new UdpBackendPlan(clusterId, backendRef.Weight, _backends.Clusters[clusterId].Destinations));
        }

        if (refsOk)
        {
            status.SetAllParents("ResolvedRefs", true, "ResolvedRefs", "all references resolved");
        }

        return listeners.Count == 0 ? null : new UdpRoutePlan($"UDPRoute/{route.Namespace}/{route.Name}", route.Key, listeners.ToEquatableArray(), backends.ToEquatableArray());
    }
}
