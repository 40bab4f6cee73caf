using Higress.Core.Plan;
using Higress.Core.Resources;
using NativeProtocol = Higress.Core.Resources.HigressListenerProtocol;
using PlanProtocol = Higress.Core.Plan.ListenerProtocol;

namespace Higress.Core.Translation;

/// <summary>
/// Turns native and Gateway API Gateways into listeners, and settles port conflicts: listeners that share a port must
/// speak the same protocol and differ in hostname; otherwise the older object keeps the port and the other listener
/// is reported <c>Conflicted</c> and not opened.
/// </summary>
internal static class ListenerBuilder
{
    public static List<GatewayListener> Build(TranslationContext context)
    {
        var all = new List<GatewayListener>();
        foreach (var gateway in context.Snapshot.OfType<HigressGateway>())
        {
            var status = context.Status(gateway);
            status.Set("Accepted", true, "Accepted", "the gateway is served by this instance");
            for (var i = 0; i < gateway.Spec.Listeners.Count; i++)
            {
                var l = gateway.Spec.Listeners[i];
                var plan = new ListenerPlan(ListenerId(gateway, l.Name), Ref(gateway), l.Name, l.Port, ToPlan(l.Protocol), l.Hostnames.Where(h => h != "*").ToEquatableArray());
                all.Add(new GatewayListener(gateway, plan, i, l.AllowedRoutes, l.Routes) { Tls = l.Tls });
            }
        }

        foreach (var gateway in context.Snapshot.OfType<Gateway>())
        {
            if (!IsServed(context, gateway))
            {
                continue;
            }

            var status = context.Status(gateway);
            status.Set("Accepted", true, "Accepted", "the gateway is served by this instance");
            var address = gateway.Spec.Addresses.FirstOrDefault(a => a.Type is "IPAddress" or "")?.Value;
            for (var i = 0; i < gateway.Spec.Listeners.Count; i++)
            {
                var l = gateway.Spec.Listeners[i];
                if (!TryParseProtocol(l.Protocol, out var protocol))
                {
                    status.SetParent("listener " + l.Name, "Accepted", false, "UnsupportedProtocol", $"protocol '{l.Protocol}' is not supported; use HTTP, HTTPS, TLS, TCP or UDP");
                    context.Error(gateway, $"spec.listeners[{i}].protocol", $"'{l.Protocol}' is not supported", "use HTTP, HTTPS, TLS, TCP or UDP");
                    continue;
                }

                EquatableArray<string> hostnames = l.Hostname is { Length: > 0 } h && h != "*" ? [h] : [];
                var plan = new ListenerPlan(ListenerId(gateway, l.Name), Ref(gateway), l.Name, l.Port, protocol, hostnames) { Address = address };
                all.Add(new GatewayListener(gateway, plan, i, l.AllowedRoutes, default) { Tls = l.Tls });
            }
        }

        SettleConflicts(context, all);
        return all;
    }

    public static string ListenerId(Resource gateway, string listener) =>
        $"{(gateway is HigressGateway ? "higress" : "gateway")}/{gateway.Namespace}/{gateway.Name}/{listener}";

    public static ResourceKey Ref(Resource resource) => resource.Key;

    private static bool IsServed(TranslationContext context, Gateway gateway)
    {
        var className = gateway.Spec.GatewayClassName;
        var gatewayClass = context.Snapshot.Get<GatewayClass>(string.Empty, className);
        if (gatewayClass is null)
        {
            return string.Equals(className, context.Options.GatewayClassName, StringComparison.Ordinal);
        }

        var ours = string.Equals(gatewayClass.Spec.ControllerName, context.Options.ControllerName, StringComparison.Ordinal);
        if (ours)
        {
            context.Status(gatewayClass).Set("Accepted", true, "Accepted", "controlled by " + context.Options.ControllerName);
        }

        return ours;
    }

    private static void SettleConflicts(TranslationContext context, List<GatewayListener> all)
    {
        var ordered = all
            .OrderBy(l => l.Gateway.Metadata.CreationTimestamp ?? DateTimeOffset.MaxValue)
            .ThenBy(l => l.Gateway.Metadata.CreationTimestamp is null ? l.Gateway.Origin.ReadOrder : 0)
            .ThenBy(l => l.Gateway.Namespace, StringComparer.Ordinal)
            .ThenBy(l => l.Gateway.Name, StringComparer.Ordinal)
            .ThenBy(l => l.Index)
            .ToList();
        // UDP ports are a namespace of their own: a UDP listener never conflicts with a TCP-based one on the same number.
        var owners = new Dictionary<(string?, int, bool Udp), List<GatewayListener>>();
        var grants = new ReferenceGrants(context.Snapshot);
        foreach (var listener in ordered)
        {
            var status = context.Status(listener.Gateway);
            if (listener.Plan.Protocol == PlanProtocol.Tls && listener.Tls?.Mode != TlsMode.Passthrough)
            {
                listener.Usable = false;
                status.SetParent(listener.StatusKey, "Programmed", false, "UnsupportedProtocol", "TLS listeners are served in mode Passthrough only; the listener is not opened");
                context.Warning(listener.Gateway, $"spec.listeners[{listener.Index}].tls.mode", "TLS listeners are served in mode Passthrough only", "set tls.mode: Passthrough, or use an HTTPS listener to terminate TLS");
                continue;
            }

            if (!listener.Plan.IsHttp && !listener.Plan.IsStream && listener.Plan.Protocol != PlanProtocol.Udp)
            {
                listener.Usable = false;
                status.SetParent(listener.StatusKey, "Programmed", false, "UnsupportedProtocol", $"{listener.Plan.Protocol} listeners are not served yet; only HTTP, HTTP2 and GRPC are");
                context.Warning(listener.Gateway, $"spec.listeners[{listener.Index}].protocol", $"{listener.Plan.Protocol} listeners are not served yet", "use an HTTP, HTTP2 or GRPC listener");
                continue;
            }

            if (listener.Plan.Protocol == PlanProtocol.Https)
            {
                var tls = ListenerTlsResolver.Resolve(context, grants, listener.Gateway, listener.Tls, $"spec.listeners[{listener.Index}]", out var problem);
                if (tls is null)
                {
                    listener.Usable = false;
                    status.SetParent(listener.StatusKey, "ResolvedRefs", false, "InvalidCertificateRef", problem ?? "no usable certificate");
                    status.SetParent(listener.StatusKey, "Programmed", false, "Invalid", "no usable certificate; the listener is not opened");
                    continue;
                }

                listener.Plan = listener.Plan with { Tls = tls };
            }

            if (context.Options.ReservedPorts.Contains(listener.Plan.Port))
            {
                listener.Usable = false;
                var reserved = $"port {listener.Plan.Port} is reserved for the gateway's admin endpoints";
                status.SetParent(listener.StatusKey, "Conflicted", true, "ProtocolConflict", reserved);
                status.SetParent(listener.StatusKey, "Programmed", false, "Invalid", reserved + "; the listener is not opened");
                context.Error(listener.Gateway, $"spec.listeners[{listener.Index}].port", reserved, "use another port, or move the admin port with Higress:Admin:Port");
                continue;
            }

            var key = (listener.Plan.Address, listener.Plan.Port, listener.Plan.Protocol == PlanProtocol.Udp);
            if (!owners.TryGetValue(key, out var sharing))
            {
                owners[key] = [listener];
                Accept(status, listener);
                continue;
            }

            var owner = sharing[0];
            string? conflict = null;
            if (!SameFamily(owner.Plan.Protocol, listener.Plan.Protocol))
            {
                conflict = $"port {listener.Plan.Port} is already served with protocol {owner.Plan.Protocol} by listener {owner.Name} of {owner.Gateway.Display}";
            }
            else if (listener.Plan.Protocol == PlanProtocol.Udp)
            {
                conflict = $"UDP port {listener.Plan.Port} is already served by listener {owner.Name} of {owner.Gateway.Display}; datagrams carry no hostname to share it by";
            }
            else if (sharing.FirstOrDefault(s => SameHostnames(s.Plan.Hostnames, listener.Plan.Hostnames)) is { } same)
            {
                conflict = $"port {listener.Plan.Port} with the same hostnames is already served by listener {same.Name} of {same.Gateway.Display}";
            }

            if (conflict is null)
            {
                sharing.Add(listener);
                Accept(status, listener);
                continue;
            }

            listener.Usable = false;
            status.SetParent(listener.StatusKey, "Conflicted", true, "ProtocolConflict", conflict);
            status.SetParent(listener.StatusKey, "Programmed", false, "Invalid", conflict + "; the listener is not opened");
            context.Error(listener.Gateway, $"spec.listeners[{listener.Index}].port", conflict, "give the listener another port, or distinct hostnames on the same protocol");
        }
    }

    private static void Accept(StatusBuilder status, GatewayListener listener)
    {
        status.SetParent(listener.StatusKey, "Accepted", true, "Accepted", "listener accepted");
        status.SetParent(listener.StatusKey, "Conflicted", false, "NoConflicts", "no conflicts");
        status.SetParent(listener.StatusKey, "Programmed", true, "Programmed", $"serving port {listener.Plan.Port}");
    }

    private static bool SameFamily(PlanProtocol a, PlanProtocol b) =>
        a == b || (a is PlanProtocol.Http2 or PlanProtocol.Grpc && b is PlanProtocol.Http2 or PlanProtocol.Grpc);

    private static bool SameHostnames(EquatableArray<string> a, EquatableArray<string> b) =>
        a.Count == b.Count && a.All(h => b.Contains(h, StringComparer.OrdinalIgnoreCase));

    private static PlanProtocol ToPlan(NativeProtocol protocol) => protocol switch
    {
        NativeProtocol.HTTPS => PlanProtocol.Https,
        NativeProtocol.HTTP2 => PlanProtocol.Http2,
        NativeProtocol.GRPC => PlanProtocol.Grpc,
        NativeProtocol.TLS => PlanProtocol.Tls,
        NativeProtocol.TCP => PlanProtocol.Tcp,
        NativeProtocol.UDP => PlanProtocol.Udp,
        _ => PlanProtocol.Http,
    };

    private static bool TryParseProtocol(string value, out PlanProtocol protocol)
    {
        protocol = value.ToUpperInvariant() switch
        {
            "HTTP" => PlanProtocol.Http,
            "HTTPS" => PlanProtocol.Https,
            "TLS" => PlanProtocol.Tls,
            "TCP" => PlanProtocol.Tcp,
            "UDP" => PlanProtocol.Udp,
            "HTTP2" or "H2C" => PlanProtocol.Http2,
            "GRPC" => PlanProtocol.Grpc,
            _ => (PlanProtocol)(-1),
        };
        return (int)protocol >= 0;
    }
}
