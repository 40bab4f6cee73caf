using Higress.Core.Plan;
using Higress.Core.Plugins.BuiltIn.IpRestriction;
using Higress.Core.Resources;

namespace Higress.Core.Translation;

/// <summary>
/// Translates the L4 rules of TCP and TLS-passthrough listeners: Gateway API TCPRoutes and TLSRoutes, and a native
/// Route's <c>tcp[]</c> (Istio TCPRoute) and <c>tls[]</c> (Istio TLSRoute) rules.
/// </summary>
internal sealed class StreamRouteTranslator(TranslationContext context, RouteAttacher attacher, BackendResolver backends)
{
    public void Translate(TcpRoute route, List<StreamRoutePlan> output) =>
        TranslateGatewayApi(route, route.Spec.ParentRefs, EquatableArray<string>.Empty, route.Spec.Rules, output);

    public void Translate(TlsRoute route, List<StreamRoutePlan> output) =>
        TranslateGatewayApi(route, route.Spec.ParentRefs, route.Spec.Hostnames, route.Spec.Rules, output);

    public void Translate(Route route, List<StreamRoutePlan> output)
    {
        var spec = route.Spec;
        if (spec.Tcp.IsEmpty && spec.Tls.IsEmpty)
        {
            return;
        }

        var status = context.Status(route);
        var ok = true;
        if (!spec.Tcp.IsEmpty)
        {
            var attachments = attacher.ByGatewayNames(route, spec.Gateways, EquatableArray<string>.Empty, status, static l => l.Protocol == ListenerProtocol.Tcp);
            for (var i = 0; i < spec.Tcp.Count; i++)
            {
                var field = $"spec.tcp[{i}]";
                var rule = spec.Tcp[i];
                var matches = rule.Match.Select((m, j) => new StreamMatch(m.Port, Subnet(route, m.SourceSubnet, $"{field}.match[{j}].sourceSubnet"), EquatableArray<string>.Empty)).ToList();
                Add(route, $"Route/{route.Namespace}/{route.Name}/tcp/{i}", i, attachments, matches, Destinations(route, rule.Route, field + ".route", ref ok), output);
            }
        }

        if (!spec.Tls.IsEmpty)
        {
            var attachments = attacher.ByGatewayNames(route, spec.Gateways, spec.Hosts, status, static l => l.Protocol == ListenerProtocol.Tls);
            for (var i = 0; i < spec.Tls.Count; i++)
            {
                var field = $"spec.tls[{i}]";
                var rule = spec.Tls[i];
                if (rule.Match.IsEmpty || rule.Match.Any(m => m.SniHosts.IsEmpty))
                {
                    context.Error(route, field + ".match", "every tls rule needs a match with sniHosts; the rule is not served", "add match: [{sniHosts: [app.example.com]}]");
                    continue;
                }

                var matches = rule.Match.Select(m => new StreamMatch(m.Port, null, m.SniHosts)).ToList();
                Add(route, $"Route/{route.Namespace}/{route.Name}/tls/{i}", 10_000 + i, attachments, matches, Destinations(route, rule.Route, field + ".route", ref ok), output);
            }
        }

        if (ok && spec.Http.IsEmpty)
        {
            status.SetAllParents("ResolvedRefs", true, "ResolvedRefs", "all references resolved");
        }
    }

    private void TranslateGatewayApi(Resource route, EquatableArray<ParentReference> parentRefs, EquatableArray<string> hostnames, EquatableArray<StreamRouteRule> rules, List<StreamRoutePlan> output)
    {
        var status = context.Status(route);
        var attachments = attacher.ByParentRefs(route, parentRefs, hostnames, status);
        var ok = true;
        if (rules.IsEmpty)
        {
            context.Error(route, "spec.rules", "the route has no rules, so it takes no connection", "add a rule with backendRefs");
        }

        for (var i = 0; i < rules.Count; i++)
        {
            var field = $"spec.rules[{i}]";
            if (i > 0)
            {
                // The rules of a TCPRoute or TLSRoute carry no matches: the first one takes every connection.
                context.Warning(route, field, "is never chosen: the first rule takes every connection", "merge its backendRefs into spec.rules[0]");
                continue;
            }

            var backendRefs = rules[i].BackendRefs;
            var list = new List<StreamBackend>();
            for (var b = 0; b < backendRefs.Count; b++)
            {
                var resolved = backends.ResolveBackendRef(route, backendRefs[b], null);
                if (!resolved.IsValid)
                {
                    ok = false;
                    context.Error(route, $"{field}.backendRefs[{b}]", resolved.Message!);
                    status.SetAllParents("ResolvedRefs", false, resolved.Reason!, $"{field}.backendRefs[{b}]: {resolved.Message}");
                }

                list.Add(new StreamBackend(resolved.ClusterId, backendRefs[b].Weight, resolved.Message));
            }

            CheckWeights(route, list, field + ".backendRefs");
            Add(route, $"{route.Kind}/{route.Namespace}/{route.Name}/rules/{i}", i, attachments, [], list, output);
        }

        if (ok)
        {
            status.SetAllParents("ResolvedRefs", true, "ResolvedRefs", "all references resolved");
        }
    }

    private void Add(Resource owner, string id, int index, List<RouteAttachment> attachments, List<StreamMatch> matches, List<StreamBackend> list, List<StreamRoutePlan> output) =>
        output.Add(new StreamRoutePlan(
            id,
            owner.Key,
            new RouteOrder(owner.Metadata.CreationTimestamp, owner.Origin.ReadOrder, index),
            attachments.ToEquatableArray(),
            matches.ToEquatableArray(),
            list.ToEquatableArray()));

    private List<StreamBackend> Destinations(Route route, EquatableArray<RouteDestination> destinations, string field, ref bool ok)
    {
        var list = new List<StreamBackend>();
        if (destinations.IsEmpty)
        {
            context.Error(route, field, "the rule has no destination, so its connections are closed", "add a route destination: [{destination: {host: db, port: 5432}}]");
            return list;
        }

        var anyWeight = destinations.Any(d => d.Weight is not null);
        for (var d = 0; d < destinations.Count; d++)
        {
            var destination = destinations[d].Destination;
            var resolved = backends.ResolveHost(route, destination.Host, destination.Port, destination.Subset);
            if (!resolved.IsValid)
            {
                ok = false;
                context.Error(route, $"{field}[{d}].destination", resolved.Message!);
                context.Status(route).SetAllParents("ResolvedRefs", false, resolved.Reason!, $"{field}[{d}]: {resolved.Message}");
            }

            list.Add(new StreamBackend(resolved.ClusterId, destinations[d].Weight ?? (anyWeight ? 0 : 1), resolved.Message));
        }

        CheckWeights(route, list, field);
        return list;
    }

    private void CheckWeights(Resource route, List<StreamBackend> list, string field)
    {
        if (list.Count > 0 && list.All(b => b.Weight == 0))
        {
            context.Error(route, field, "every weight is 0, so no connection can be forwarded", "give at least one destination a weight above 0");
        }
    }

    private string? Subnet(Resource route, string? text, string field)
    {
        if (text is null)
        {
            return null;
        }

        if (IpRestrictionPlugin.TryParseNetwork(text, out var network))
        {
            return network.ToString();
        }

        context.Error(route, field, $"'{text}' is not an address or a CIDR network; the match takes no connection", "write an address or a network, e.g. 10.0.0.0/8 or 192.168.1.7");

        // Unparseable: a network no client address is in, so the match stays in place and takes nothing.
        return "invalid";
    }
}
