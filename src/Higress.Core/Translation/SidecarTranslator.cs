using Higress.Core.Plan;
using Higress.Core.Resources;
using RouteMatch = Higress.Core.Plan.RouteMatch;

namespace Higress.Core.Translation;

/// <summary>
/// Sidecar mode (docs/sidecar.md), as listeners and rules of the plan, so that the runtime serves it like any gateway:
/// the inbound port gets a copy of every Route rule (plugins, timeouts, fault, header edits kept) forwarding to the local
/// app, behind a catch-all to the app; the outbound port gets a rule per Service and ServiceEntry host and port,
/// except for the hosts that Routes name (Istio mesh style), whose rules apply there instead.
/// </summary>
internal static class SidecarTranslator
{
    public const string InboundListenerId = "sidecar/inbound";
    public const string OutboundListenerId = "sidecar/outbound";
    public const string AppClusterId = "sidecar/app";
    private const string Settings = "Higress:Sidecar";

    private static readonly ResourceKey Owner = new(new ResourceKind("higress.io", "Sidecar"), string.Empty, "sidecar");

    /// <summary>Adds the sidecar's listeners, clusters and rules; returns the listeners to open.</summary>
    public static List<ListenerPlan> Apply(TranslationContext context, BackendResolver backends, IReadOnlyCollection<ListenerPlan> gatewayListeners, List<RoutePlan> routes)
    {
        var listeners = new List<ListenerPlan>();
        if (context.Options.Sidecar is not { Enabled: true } sidecar)
        {
            return listeners;
        }

        var routeRules = routes.Where(r => r.Source.Kind == ResourceKinds.Route).ToList();
        if (sidecar.InboundPort is { } inbound && IsFree(context, gatewayListeners, inbound, "Inbound:Port") && AppAddress(context, sidecar.InboundApp) is { } app)
        {
            listeners.Add(new ListenerPlan(InboundListenerId, Owner, "inbound", inbound, ListenerProtocol.Http, EquatableArray<string>.Empty));
            backends.Clusters[AppClusterId] = new ClusterPlan(AppClusterId, Owner, [new DestinationPlan("app", app)]);
            routes.AddRange(routeRules.Select(rule => Inbound(context, rule)));
            routes.Add(new RoutePlan("Sidecar/inbound/app", Owner, null, Last(0), [new RouteAttachment(InboundListenerId, EquatableArray<string>.Empty)], [RouteMatch.Any], ToApp));
        }

        if (sidecar.OutboundPort is { } outbound && IsFree(context, gatewayListeners, outbound, "Outbound:Port"))
        {
            if (outbound == sidecar.InboundPort)
            {
                context.Diagnostics.Add(new ConfigDiagnostic(DiagnosticSeverity.Error, Settings, "Outbound:Port", $"port {outbound} is also the inbound port; the outbound port is not opened", "give the outbound port its own number (e.g. 15001)"));
                return listeners;
            }

            // Loopback only: the outbound port reaches every service by name, so it must not become an open proxy.
            listeners.Add(new ListenerPlan(OutboundListenerId, Owner, "outbound", outbound, ListenerProtocol.Http, EquatableArray<string>.Empty) { Address = "127.0.0.1" });
            Outbound(context, backends, new MeshServices(context.Snapshot, sidecar.Namespace), routeRules, routes);
        }

        return listeners;
    }

    private static ForwardAction ToApp { get; } = new([new BackendPlan(AppClusterId, 1, HeaderModifier.None, HeaderModifier.None)]);

    // After every rule of every object (RouteTable breaks the remaining ties by age, then by read order).
    private static RouteOrder Last(int index) => new(null, long.MaxValue, index);

    private static RoutePlan Inbound(TranslationContext context, RoutePlan rule)
    {
        var hosts = context.Snapshot.Get<Route>(rule.Source.Namespace, rule.Source.Name)?.Spec.Hosts ?? EquatableArray<string>.Empty;
        var action = rule.Action switch
        {
            ForwardAction => ToApp,
            FailAction { Reason: NativeRouteTranslator.InboundOnly } => ToApp,
            _ => rule.Action,
        };
        return rule with
        {
            Id = rule.Id + "/inbound",
            Attachments = [new RouteAttachment(InboundListenerId, hosts.Contains("*") ? EquatableArray<string>.Empty : hosts)],
            Action = action,
        };
    }

    private static void Outbound(TranslationContext context, BackendResolver backends, MeshServices services, List<RoutePlan> routeRules, List<RoutePlan> routes)
    {
        var claimed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var rules in routeRules.GroupBy(r => r.Source))
        {
            var route = context.Snapshot.Get<Route>(rules.Key.Namespace, rules.Key.Name);
            var hosts = (route?.Spec.Hosts ?? EquatableArray<string>.Empty)
                .SelectMany(h => services.Named(h, rules.Key.Namespace)?.Aliases ?? [])
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToEquatableArray();
            if (hosts.IsEmpty)
            {
                continue;
            }

            claimed.UnionWith(hosts);
            routes.AddRange(rules.Select(rule => rule with { Id = rule.Id + "/outbound", Attachments = [new RouteAttachment(OutboundListenerId, hosts)] }));
        }

        foreach (var service in services.All)
        {
            var hostnames = service.Aliases.Where(a => !claimed.Contains(a)).ToEquatableArray();
            foreach (var port in hostnames.IsEmpty ? [] : service.Ports)
            {
                // A port that does not resolve (e.g. unsupported upstream TLS) is left out; a Route naming it reports why.
                if (service.Resolve(backends, port) is not { IsValid: true } cluster)
                {
                    continue;
                }

                var withPort = hostnames.Select(h => HostIs($"{h}:{port}"));
                var matches = port == service.DefaultPort ? withPort.Concat(hostnames.Select(HostIs)) : withPort;
                routes.Add(new RoutePlan(
                    $"Sidecar/outbound/{service.Aliases[^1]}:{port}",
                    service.Key,
                    null,
                    Last(port),
                    [new RouteAttachment(OutboundListenerId, hostnames)],
                    matches.ToEquatableArray(),
                    new ForwardAction([new BackendPlan(cluster.ClusterId, 1, HeaderModifier.None, HeaderModifier.None)])));
            }
        }
    }

    // The Host header carries the port unless it is the scheme's default; the host index has already picked the name.
    private static RouteMatch HostIs(string host) =>
        RouteMatch.Any with { Headers = [new NamedValueMatch("host", ValueMatchKind.Exact, host)] };

    private static bool IsFree(TranslationContext context, IReadOnlyCollection<ListenerPlan> gatewayListeners, int port, string field)
    {
        var problem = context.Options.ReservedPorts.Contains(port)
            ? "is reserved for the gateway's admin endpoints"
            : gatewayListeners.FirstOrDefault(l => l.Port == port) is { } taken ? $"is already listener {taken.Name} of {taken.Gateway}" : null;
        if (problem is not null)
        {
            context.Diagnostics.Add(new ConfigDiagnostic(DiagnosticSeverity.Error, Settings, field, $"port {port} {problem}; the sidecar port is not opened", "choose another port for the sidecar or the listener"));
        }

        return problem is null;
    }

    private static string? AppAddress(TranslationContext context, string? app)
    {
        if (Uri.TryCreate(app, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/")
        {
            return uri.GetLeftPart(UriPartial.Authority);
        }

        context.Diagnostics.Add(new ConfigDiagnostic(DiagnosticSeverity.Error, Settings, "Inbound:App", $"'{app}' is not the base address of the local app; the inbound port is not opened", "set it to the app's address, e.g. http://127.0.0.1:8080"));
        return null;
    }
}
