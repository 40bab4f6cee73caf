using System.Net;
using Higress.Core.Resources;
using Higress.Core.Plan;

namespace Higress.Core.Routing;

/// <summary>
/// The request matcher for one plan, built once when the plan is applied and then shared, lock-free, by every request.
/// It implements the Gateway API's semantics for every route kind: listener selection by port and most specific
/// hostname, hostname precedence between routes, then path (exact, longest prefix by segments, regex ranked with
/// prefixes by pattern length), method, header count, query count, age, namespace/name and rule order.
/// </summary>
internal sealed class RouteTable
{
    private readonly Dictionary<int, PortListeners> _ports;

    private RouteTable(GatewayPlan plan, Dictionary<int, PortListeners> ports)
    {
        Plan = plan;
        _ports = ports;
    }

    /// <summary>An empty table.</summary>
    public static RouteTable Empty { get; } = Build(GatewayPlan.Empty);

    /// <summary>The plan this table serves.</summary>
    public GatewayPlan Plan { get; }

    /// <summary>The ports with at least one HTTP listener.</summary>
    public IEnumerable<int> Ports => _ports.Keys;

    /// <summary>Builds the table for a plan.</summary>
    public static RouteTable Build(GatewayPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var ports = new Dictionary<int, PortListeners>();
        var listeners = new Dictionary<string, List<ListenerNode>>(StringComparer.Ordinal);
        foreach (var listener in plan.Listeners)
        {
            if (!listener.IsHttp)
            {
                continue;
            }

            if (!ports.TryGetValue(listener.Port, out var port))
            {
                port = new PortListeners();
                ports[listener.Port] = port;
            }

            // Gateways may share a port on distinct addresses (spec.addresses); each address has its own listeners.
            var hosts = port.For(NormalizeAddress(listener.Address));

            // A listener with several hostnames reaches several nodes; the translator never lets two listeners
            // claim the same port and hostname, so a node belongs to one listener.
            var nodes = new List<ListenerNode>();
            foreach (var hostname in listener.Hostnames.IsEmpty ? [null] : listener.Hostnames.Select(h => (string?)h))
            {
                var node = hosts.GetOrAdd(hostname, () => new ListenerNode(listener));
                if (!nodes.Contains(node))
                {
                    nodes.Add(node);
                }
            }

            listeners[listener.Id] = nodes;
        }

        var ranks = RankMatches(plan.Routes);
        foreach (var route in plan.Routes)
        {
            foreach (var attachment in route.Attachments)
            {
                if (!listeners.TryGetValue(attachment.ListenerId, out var nodes))
                {
                    continue;
                }

                var hostnames = attachment.Hostnames.IsEmpty ? [null] : attachment.Hostnames.Select(h => (string?)h);
                foreach (var node in nodes)
                {
                    foreach (var hostname in hostnames.Distinct(StringComparer.OrdinalIgnoreCase))
                    {
                        var bucket = node.Hosts.GetOrAdd(hostname, () => new Bucket());
                        if (!bucket.Routes.Add(route))
                        {
                            continue;
                        }

                        for (var i = 0; i < route.Matches.Count; i++)
                        {
                            bucket.Entries.Add(new RouteMatchResult(route, i, node.Listener, hostname) { Rank = ranks[(route, i)] });
                        }
                    }
                }
            }
        }

        foreach (var node in listeners.Values.SelectMany(n => n).Distinct())
        {
            foreach (var bucket in node.Hosts.Values)
            {
                bucket.Seal();
            }
        }

        return new RouteTable(plan, ports);
    }

    /// <summary>True when an HTTP listener is open on <paramref name="port"/>.</summary>
    public bool ServesPort(int port) => _ports.ContainsKey(port);

    /// <summary>The listener that a request on <paramref name="port"/> for <paramref name="host"/> belongs to, or null.</summary>
    public ListenerPlan? FindListener(int port, string host) =>
        _ports.TryGetValue(port, out var listeners) ? listeners.Select(null)?.Find(HostWithoutPort(host))?.Listener : null;

    /// <summary>Finds the rule that serves the request, or null (404).</summary>
    public RouteMatchResult? Match<TRequest>(TRequest request)
        where TRequest : IRouteRequest
    {
        if (!_ports.TryGetValue(request.LocalPort, out var port))
        {
            return null;
        }

        var listeners = port.HasAddresses ? port.Select(NormalizeAddress(request.LocalAddress)) : port.Select(null);
        var host = HostWithoutPort(request.Host);
        var node = listeners?.Find(host);
        if (node is null)
        {
            return null;
        }

        var path = request.Path;
        if (string.IsNullOrEmpty(path))
        {
            path = "/";
        }

        foreach (var bucket in node.Hosts.Candidates(host))
        {
            if (bucket.Index!.Match(request, path) is { } match)
            {
                return match;
            }
        }

        return null;
    }

    /// <summary>
    /// Every entry in the order requests try them (the admin API's <c>/routes</c>): by port and listener, then
    /// hostname from the most specific (exact names, longer wildcards, any host), then precedence within a hostname.
    /// A request tries only the entries of its port, listener and most specific hostname that has a match.
    /// </summary>
    public IEnumerable<RouteMatchResult> InMatchOrder()
    {
        var entries = new List<RouteMatchResult>();
        foreach (var port in _ports.OrderBy(p => p.Key))
        {
            foreach (var node in port.Value.All.SelectMany(hosts => hosts.Values).Distinct())
            {
                foreach (var bucket in node.Hosts.Values)
                {
                    entries.AddRange(bucket.Entries);
                }
            }
        }

        return entries
            .OrderBy(e => e.Listener.Port)
            .ThenBy(e => e.Listener.Id, StringComparer.Ordinal)
            .ThenBy(e => e.HostKey is null ? 2 : HostnamePattern.IsWildcard(e.HostKey) ? 1 : 0)
            .ThenByDescending(e => e.HostKey?.Length ?? 0)
            .ThenBy(e => e.HostKey, StringComparer.OrdinalIgnoreCase)
            .ThenBy(e => e.Rank);
    }

    /// <summary>Strips the port from a Host header value (<c>a.com:8080</c>, <c>[::1]:80</c>) and a trailing dot.</summary>
    public static ReadOnlySpan<char> HostWithoutPort(string host)
    {
        var span = host.AsSpan();
        if (span.StartsWith("["))
        {
            var close = span.IndexOf(']');
            return close < 0 ? span : span[..(close + 1)];
        }

        var colon = span.LastIndexOf(':');
        if (colon >= 0)
        {
            span = span[..colon];
        }

        return span.EndsWith(".") ? span[..^1] : span;
    }

    private static Dictionary<(RoutePlan, int), int> RankMatches(EquatableArray<RoutePlan> routes)
    {
        var keys = new List<(RoutePlan Route, int Index)>();
        foreach (var route in routes)
        {
            for (var i = 0; i < route.Matches.Count; i++)
            {
                keys.Add((route, i));
            }
        }

        keys.Sort(static (a, b) => MatchPrecedence.Compare(a.Route, a.Index, b.Route, b.Index));
        var ranks = new Dictionary<(RoutePlan, int), int>(ReferenceTupleComparer.Instance);
        for (var i = 0; i < keys.Count; i++)
        {
            ranks[keys[i]] = i;
        }

        return ranks;
    }

    /// <summary>An address in one spelling (<c>::ffff:127.0.0.2</c> is <c>127.0.0.2</c>), or null for the bind address.</summary>
    private static string? NormalizeAddress(string? address)
    {
        if (address is null || !IPAddress.TryParse(address.Trim('[', ']'), out var ip))
        {
            return address;
        }

        return (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString();
    }

    /// <summary>The listeners of one port: those on the configured bind address, and those on explicit addresses.</summary>
    private sealed class PortListeners
    {
        private HostIndex<ListenerNode>? _bindAddress;
        private Dictionary<string, HostIndex<ListenerNode>>? _byAddress;

        public bool HasAddresses => _byAddress is not null;

        public IEnumerable<HostIndex<ListenerNode>> All =>
            (_bindAddress is null ? [] : new[] { _bindAddress }).Concat(_byAddress?.Values ?? Enumerable.Empty<HostIndex<ListenerNode>>());

        public HostIndex<ListenerNode> For(string? address)
        {
            if (address is null)
            {
                return _bindAddress ??= new HostIndex<ListenerNode>();
            }

            _byAddress ??= new Dictionary<string, HostIndex<ListenerNode>>(StringComparer.OrdinalIgnoreCase);
            if (!_byAddress.TryGetValue(address, out var hosts))
            {
                hosts = new HostIndex<ListenerNode>();
                _byAddress[address] = hosts;
            }

            return hosts;
        }

        /// <summary>The listeners on <paramref name="address"/>, else those on the bind address; with no address known, any.</summary>
        public HostIndex<ListenerNode>? Select(string? address)
        {
            if (address is not null && _byAddress is not null && _byAddress.TryGetValue(address, out var hosts))
            {
                return hosts;
            }

            return _bindAddress ?? (address is null ? _byAddress?.Values.FirstOrDefault() : null);
        }
    }

    private sealed class ListenerNode(ListenerPlan listener)
    {
        public ListenerPlan Listener { get; } = listener;

        public HostIndex<Bucket> Hosts { get; } = new();
    }

    private sealed class Bucket
    {
        public List<RouteMatchResult> Entries { get; } = [];

        public HashSet<RoutePlan> Routes { get; } = new(ReferenceEqualityComparer.Instance);

        public PathIndex? Index { get; private set; }

        public void Seal() => Index = new PathIndex(Entries);
    }

    private sealed class ReferenceTupleComparer : IEqualityComparer<(RoutePlan, int)>
    {
        public static readonly ReferenceTupleComparer Instance = new();

        public bool Equals((RoutePlan, int) x, (RoutePlan, int) y) => ReferenceEquals(x.Item1, y.Item1) && x.Item2 == y.Item2;

        public int GetHashCode((RoutePlan, int) obj) => HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Item1), obj.Item2);
    }
}
