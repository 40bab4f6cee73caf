using System.Globalization;
using System.Net;
using Higress.Core.Plan;
using Higress.Core.Resources;

namespace Higress.Core.Translation;

/// <summary>The outcome of resolving one backend reference.</summary>
/// <param name="ClusterId">The cluster, or null when the reference is invalid.</param>
/// <param name="Reason">The Gateway API reason when invalid (<c>BackendNotFound</c>, <c>RefNotPermitted</c>, <c>InvalidKind</c>).</param>
/// <param name="Message">What is wrong and how to fix it.</param>
internal sealed record BackendResult(string? ClusterId, string? Reason = null, string? Message = null)
{
    public bool IsValid => ClusterId is not null;
}

/// <summary>
/// Resolves Services (with their EndpointSlices or Endpoints) and ServiceEntries into clusters, enforcing that a
/// backend in another namespace is reachable only when a ReferenceGrant in that namespace allows it.
/// </summary>
internal sealed class BackendResolver
{
    private readonly TranslationContext _context;
    private readonly Dictionary<(string, string), List<EndpointSlice>> _slices = [];
    private readonly Dictionary<string, ServiceEntry> _serviceEntries = new(StringComparer.OrdinalIgnoreCase);
    private readonly ReferenceGrants _grants;

    // BackendTLSPolicies by target Service; a policy naming a port (sectionName) comes before one for every port.
    private readonly Dictionary<(string Namespace, string Service), List<(BackendTlsPolicy Policy, string? Section)>> _policies = [];

    public BackendResolver(TranslationContext context)
    {
        _context = context;
        foreach (var slice in context.Snapshot.OfType<EndpointSlice>())
        {
            if (slice.ServiceName is { } service)
            {
                var key = (slice.Namespace, service);
                if (!_slices.TryGetValue(key, out var list))
                {
                    list = [];
                    _slices[key] = list;
                }

                list.Add(slice);
            }
        }

        foreach (var entry in context.Snapshot.OfType<ServiceEntry>())
        {
            foreach (var host in entry.Spec.Hosts)
            {
                _serviceEntries.TryAdd(host, entry);
            }
        }

        foreach (var policy in context.Snapshot.OfType<BackendTlsPolicy>())
        {
            foreach (var target in policy.Spec.TargetRefs.Where(t => t.Group.Length == 0 && t.Kind == "Service"))
            {
                var key = (policy.Namespace, target.Name);
                if (!_policies.TryGetValue(key, out var list))
                {
                    list = [];
                    _policies[key] = list;
                }

                list.Add((policy, target.SectionName));
            }
        }

        _grants = new ReferenceGrants(context.Snapshot);
    }

    public Dictionary<string, ClusterPlan> Clusters { get; } = new(StringComparer.Ordinal);

    /// <summary>Resolves a Gateway API backendRef of <paramref name="route"/>.</summary>
    public BackendResult ResolveBackendRef(Resource route, BackendRef backend, UpstreamProtocol? protocol)
    {
        var ns = backend.Namespace ?? route.Namespace;
        var display = new ResourceKey(new ResourceKind(backend.Group, backend.Kind), ns, backend.Name).ToString();
        if (backend.Group.Length != 0 || backend.Kind != "Service")
        {
            return new BackendResult(null, "InvalidKind", $"backendRef {display}: group '{backend.Group}' kind '{backend.Kind}' is not supported; reference a core Service");
        }

        if (!Permitted(route, ns, backend.Name))
        {
            return new BackendResult(null, "RefNotPermitted", $"backendRef {display} is in another namespace and no ReferenceGrant in {ns} allows {route.Kind}s from {route.Namespace}; add one");
        }

        if (backend.Port is null)
        {
            return new BackendResult(null, "UnsupportedValue", $"backendRef {display}: port is required for a Service; add the service port");
        }

        var (annotated, value, error) = BackendProtocols.OfRoute(route);
        if (error is not null)
        {
            return new BackendResult(null, "UnsupportedProtocol", error);
        }

        return ResolveService(ns, backend.Name, backend.Port, null, protocol, annotated, value);
    }

    /// <summary>Resolves a native <c>destination</c>: a Service name (<c>svc</c>, <c>svc.ns</c>, <c>svc.ns.svc.cluster.local</c>) or a ServiceEntry host.</summary>
    public BackendResult ResolveHost(Resource route, string host, int? port, string? subset)
    {
        var (annotated, value, error) = BackendProtocols.OfRoute(route);
        if (error is not null)
        {
            return new BackendResult(null, "UnsupportedProtocol", error);
        }

        if (_serviceEntries.TryGetValue(host, out var entry))
        {
            return ResolveServiceEntry(entry, host, port, subset, annotated, value);
        }

        var (name, ns) = SplitServiceHost(host, route.Namespace);
        if (!Permitted(route, ns, name))
        {
            return new BackendResult(null, "RefNotPermitted", $"destination {host} is in namespace {ns} and no ReferenceGrant there allows {route.Kind}s from {route.Namespace}; add one");
        }

        if (_context.Snapshot.Get<Service>(ns, name) is null)
        {
            return new BackendResult(null, "BackendNotFound", $"destination {host}: no Service {ns}/{name} and no ServiceEntry with host {host}; create one or fix the host");
        }

        return ResolveService(ns, name, port, subset, null, annotated, value);
    }

    /// <summary>
    /// Resolves a service that a plugin talks to (a Redis): a ServiceEntry host, or a Service of <paramref name="ns"/>.
    /// Use a resolver of its own: the clusters it records are not routes' backends.
    /// </summary>
    public (IReadOnlyList<DnsEndPoint>? Endpoints, string? Error) ResolvePluginService(string ns, string host, int? port)
    {
        BackendResult result;
        if (_serviceEntries.TryGetValue(host, out var entry))
        {
            result = ResolveServiceEntry(entry, host, port, null, null, null);
        }
        else
        {
            var (name, serviceNamespace) = SplitServiceHost(host, ns);
            if (serviceNamespace != ns)
            {
                return (null, $"service '{host}' is in namespace {serviceNamespace}, and a plugin reaches only its own namespace's Services ({ns})");
            }

            if (_context.Snapshot.Get<Service>(ns, name) is null)
            {
                return (null, $"no Service {ns}/{name} and no ServiceEntry with host {host}");
            }

            result = ResolveService(ns, name, port, null, null, null, null);
        }

        if (result.ClusterId is not { } id)
        {
            return (null, result.Message);
        }

        var endpoints = Clusters[id].Destinations
            .Select(d => new Uri(d.Address))
            .Select(u => new DnsEndPoint(u.DnsSafeHost, u.Port))
            .ToList();
        return endpoints.Count == 0 ? (null, $"service '{host}' has no ready endpoints") : (endpoints, null);
    }

    /// <summary>Resolves a Service port for the sidecar's outbound port, which has no route and so no ReferenceGrant to check.</summary>
    public BackendResult ResolveServicePort(string ns, string name, int port) => ResolveService(ns, name, port, null, null, null, null);

    /// <summary>Resolves a ServiceEntry host and port for the sidecar's outbound port.</summary>
    public BackendResult ResolveServiceEntryPort(ServiceEntry entry, string host, int port) => ResolveServiceEntry(entry, host, port, null, null, null);

    private static (string Name, string Namespace) SplitServiceHost(string host, string defaultNamespace)
    {
        var parts = host.Split('.');
        return parts.Length >= 2 ? (parts[0], parts[1]) : (host, defaultNamespace);
    }

    private bool Permitted(Resource route, string targetNamespace, string targetName) =>
        _grants.Permits(route, string.Empty, "Service", targetNamespace, targetName);

    /// <summary>
    /// The endpoints of a Service's EndpointSlices, as kube-proxy picks them: the ready ones; when none is ready, the
    /// ones that are still serving while terminating (so that a rollout's last old pods keep answering until new ones
    /// are ready, instead of every request failing). An unset <c>ready</c> or <c>serving</c> counts as true and an
    /// unset <c>terminating</c> as false, as the API defines; an address listed by two slices during a slice change
    /// counts once.
    /// </summary>
    private static void AddSliceEndpoints(List<DestinationPlan> destinations, List<EndpointSlice> slices, ServicePort servicePort, string scheme)
    {
        var ready = new List<DestinationPlan>();
        var terminating = new List<DestinationPlan>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var slice in slices)
        {
            var slicePort = slice.Ports.FirstOrDefault(sp => (sp.Name ?? string.Empty) == (servicePort.Name ?? string.Empty));
            if (slice.Ports.Count > 0 && slicePort is null)
            {
                continue;
            }

            var number = slicePort?.Port ?? servicePort.TargetPort?.Number ?? servicePort.Port;
            foreach (var endpoint in slice.Endpoints)
            {
                var conditions = endpoint.Conditions;
                var isTerminating = conditions.Terminating == true;
                var target = conditions.Ready != false && !isTerminating ? ready
                    : conditions.Serving != false && isTerminating ? terminating
                    : null;
                if (target is null)
                {
                    continue;
                }

                foreach (var address in endpoint.Addresses)
                {
                    var key = $"{address}:{number}";
                    if (seen.Add(key))
                    {
                        target.Add(new DestinationPlan(key, Address(scheme, address, number)));
                    }
                }
            }
        }

        destinations.AddRange(ready.Count > 0 ? ready : terminating);
    }

    // forced: the route kind's protocol (GRPCRoute: HTTP/2); annotated: the route's backend-protocol annotation, which
    // gives the cluster an id of its own so that routes without it keep the port's protocol.
    private BackendResult ResolveService(string ns, string name, int? port, string? subset, UpstreamProtocol? forced, WireProtocol? annotated, string? annotation)
    {
        var service = _context.Snapshot.Get<Service>(ns, name);
        if (service is null)
        {
            return new BackendResult(null, "BackendNotFound", $"Service {ns}/{name} does not exist; create it or fix the reference");
        }

        var ports = service.Spec.Ports;
        var servicePort = port is { } p ? ports.FirstOrDefault(x => x.Port == p) : ports.Count == 1 ? ports[0] : null;
        if (servicePort is null)
        {
            var known = string.Join(", ", ports.Select(x => x.Port));
            return new BackendResult(null, "BackendNotFound", port is null
                ? $"Service {ns}/{name} has {ports.Count} ports ({known}); name one with port"
                : $"Service {ns}/{name} has no port {port} (it has: {known}); fix the port");
        }

        if (subset is not null)
        {
            return new BackendResult(null, "BackendNotFound", $"subset '{subset}' of Service {ns}/{name}: subsets are defined on ServiceEntries; remove the subset or use a ServiceEntry");
        }

        var id = $"{ns}/{name}:{servicePort.Port}" + (annotation is null ? string.Empty : "+" + annotation);
        if (Clusters.ContainsKey(id))
        {
            return new BackendResult(id);
        }

        var own = BackendProtocols.OfServicePort(servicePort.AppProtocol, servicePort.Name);
        var wire = annotated ?? (forced == UpstreamProtocol.Http2 ? own with { Http2 = true } : own);
        UpstreamTlsPlan? tls = null;
        if (_policies.TryGetValue((ns, name), out var policies) && policies.OrderBy(p => p.Section is null).FirstOrDefault(p => p.Section is null || p.Section == servicePort.Name) is { } policy)
        {
            var (plan, error) = UpstreamTlsResolver.FromPolicy(_context.Snapshot, policy.Policy);
            if (error is not null)
            {
                return new BackendResult(null, "InvalidCACertificateRef", $"Service {ns}/{name}: {policy.Policy.Display} {error}");
            }

            (tls, wire) = (plan, wire with { Tls = true });
        }
        else if (wire.Tls)
        {
            tls = UpstreamTlsResolver.Default($"Service {ns}/{name} port {servicePort.Port}", $"{name}.{ns}.svc.cluster.local");
        }

        var upstream = wire.ToUpstream();
        var scheme = wire.Tls ? "https" : "http";
        var destinations = new List<DestinationPlan>();
        if (service.Spec.Type == ServiceType.ExternalName && service.Spec.ExternalName is { } external)
        {
            destinations.Add(new DestinationPlan(external, Address(scheme, external, servicePort.Port)));
        }
        else if (_slices.TryGetValue((ns, name), out var slices))
        {
            AddSliceEndpoints(destinations, slices, servicePort, scheme);
        }
        else if (_context.Snapshot.Get<Endpoints>(ns, name) is { } endpoints)
        {
            foreach (var set in endpoints.Subsets)
            {
                var setPort = set.Ports.FirstOrDefault(sp => (sp.Name ?? string.Empty) == (servicePort.Name ?? string.Empty)) ?? (set.Ports.Count == 1 ? set.Ports[0] : null);
                var number = setPort?.Port ?? servicePort.TargetPort?.Number ?? servicePort.Port;
                foreach (var address in set.Addresses)
                {
                    destinations.Add(new DestinationPlan($"{address.Ip}:{number}", Address(scheme, address.Ip, number)));
                }
            }
        }
        else if (service.Spec.ClusterIP is { } clusterIp && IPAddress.TryParse(clusterIp, out _))
        {
            destinations.Add(new DestinationPlan(clusterIp, Address(scheme, clusterIp, servicePort.Port)));
        }

        Clusters[id] = new ClusterPlan(id, new ResourceKey(ResourceKinds.Service, ns, name), destinations.DistinctBy(d => d.Id).ToEquatableArray(), upstream) { Tls = tls };
        return new BackendResult(id);
    }

    private BackendResult ResolveServiceEntry(ServiceEntry entry, string host, int? port, string? subsetName, WireProtocol? annotated, string? annotation)
    {
        var spec = entry.Spec;
        var sePort = port is { } p ? spec.Ports.FirstOrDefault(x => x.Number == p) : spec.Ports.Count == 1 ? spec.Ports[0] : null;
        if (sePort is null)
        {
            return new BackendResult(null, "BackendNotFound", $"{entry.Display} has no port {port?.ToString(CultureInfo.InvariantCulture) ?? "(none given, and it has several)"}; fix destination.port");
        }

        Subset? subset = null;
        if (subsetName is not null && (subset = spec.Subsets.FirstOrDefault(s => s.Name == subsetName)) is null)
        {
            return new BackendResult(null, "BackendNotFound", $"{entry.Display} has no subset '{subsetName}'; add it under spec.subsets or fix destination.subset");
        }

        var id = $"serviceentry/{entry.Namespace}/{host}:{sePort.Number}" + (subsetName is null ? string.Empty : "/" + subsetName) + (annotation is null ? string.Empty : "+" + annotation);
        if (Clusters.ContainsKey(id))
        {
            return new BackendResult(id);
        }

        // A subset's policy overrides the service's field by field, as Istio's DestinationRule does. As in Istio,
        // SIMPLE and MUTUAL originate TLS whatever the port's protocol says; a port (or annotation) that says HTTPS or
        // GRPCS originates it too, verified against the system's roots, unless the port's tls says DISABLE.
        var tlsField = subset?.TrafficPolicy?.Tls is null ? "spec.trafficPolicy.tls" : $"spec.subsets[{spec.Subsets.Select((x, i) => (x, i)).First(p => ReferenceEquals(p.x, subset)).i}].trafficPolicy.tls";
        var settings = subset?.TrafficPolicy?.Tls ?? spec.TrafficPolicy?.Tls;
        var (tls, refused) = UpstreamTlsResolver.FromServiceEntry(_context.Snapshot, entry, settings, tlsField, host);
        if (refused is not null)
        {
            return new BackendResult(null, "UnsupportedProtocol", $"{entry.Display} {refused}");
        }

        var portProtocol = BackendProtocols.Parse(sePort.Protocol) ?? new WireProtocol(false, false);
        var wire = annotated ?? (settings is not null && !UpstreamTlsResolver.Originates(settings) ? portProtocol with { Tls = false } : portProtocol);
        wire = wire with { Tls = wire.Tls || tls is not null };
        tls ??= wire.Tls ? UpstreamTlsResolver.Default($"{entry.Display} port {sePort.Number}", host) : null;
        var upstream = wire.ToUpstream();
        var scheme = wire.Tls ? "https" : "http";
        var destinations = new List<DestinationPlan>();
        foreach (var endpoint in spec.Endpoints)
        {
            if (subset is not null && !subset.Labels.All(l => endpoint.Labels.TryGetValue(l.Key, out var v) && v == l.Value))
            {
                continue;
            }

            var number = sePort.Name is { } portName && endpoint.Ports.TryGetValue(portName, out var mapped) ? mapped : sePort.TargetPort ?? sePort.Number;
            destinations.Add(new DestinationPlan($"{endpoint.Address}:{number}", Address(scheme, endpoint.Address, number), endpoint.Weight ?? 1));
        }

        if (spec.Endpoints.IsEmpty && spec.Resolution is ServiceEntryResolution.Dns or ServiceEntryResolution.DnsRoundRobin or ServiceEntryResolution.None)
        {
            destinations.Add(new DestinationPlan(host, Address(scheme, host, sePort.TargetPort ?? sePort.Number)));
        }

        // Istio: a subset's policy overrides the service's, top-level field by top-level field.
        var policy = TrafficPolicies.Effective(spec.TrafficPolicy, subset?.TrafficPolicy);
        var unique = destinations.DistinctBy(d => d.Id).ToEquatableArray();
        Clusters[id] = new ClusterPlan(id, entry.Key, unique, upstream, TrafficPolicies.Balancing(policy?.LoadBalancer, unique))
        {
            ConsistentHash = TrafficPolicies.ConsistentHash(policy?.LoadBalancer?.ConsistentHash),
            Tls = tls,
            ConnectionPool = TrafficPolicies.ConnectionPool(policy?.ConnectionPool),
            OutlierDetection = TrafficPolicies.Outlier(policy?.OutlierDetection),
            HealthCheck = TrafficPolicies.HealthCheck(policy?.HealthCheck),
        };
        return new BackendResult(id);
    }

    private static string Address(string scheme, string host, int port)
    {
        var h = host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
        return $"{scheme}://{h}:{port.ToString(CultureInfo.InvariantCulture)}";
    }
}
