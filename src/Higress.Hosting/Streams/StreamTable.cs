using System.Net;
using Higress.Core.Plan;
using Higress.Core.Routing;
using Higress.Core.Translation;

namespace Higress.Hosting.Streams;

/// <summary>
/// The L4 rules of one plan, by listener port: which rule takes a connection, given the client's address and (on
/// TLS-passthrough ports) the SNI name. Rules are tried most specific SNI first (exact, then the longest wildcard,
/// then any name) and, among equals, in precedence order (older object, earlier rule).
/// </summary>
internal sealed class StreamTable
{
    private readonly Dictionary<int, StreamPort> _ports;

    private StreamTable(Dictionary<int, StreamPort> ports) => _ports = ports;

    public static StreamTable Empty { get; } = new([]);

    /// <summary>The ports with a TCP or TLS-passthrough listener.</summary>
    public IEnumerable<int> Ports => _ports.Keys;

    public static StreamTable Build(GatewayPlan plan)
    {
        var listeners = plan.Listeners.Where(l => l.IsStream).ToDictionary(l => l.Id, StringComparer.Ordinal);
        var clusters = plan.Clusters.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var ports = new Dictionary<int, StreamPort>();
        foreach (var listener in listeners.Values)
        {
            if (!ports.ContainsKey(listener.Port))
            {
                ports[listener.Port] = new StreamPort(listener.Port, listener.Protocol == ListenerProtocol.Tls);
            }
        }

        var ordered = plan.StreamRoutes
            .OrderBy(r => r.Order.CreationTimestamp ?? DateTimeOffset.MaxValue)
            .ThenBy(r => r.Order.CreationTimestamp is null ? r.Order.ReadOrder : 0)
            .ThenBy(r => r.Owner.Namespace, StringComparer.Ordinal)
            .ThenBy(r => r.Owner.Name, StringComparer.Ordinal)
            .ThenBy(r => r.Order.RuleIndex);
        foreach (var route in ordered)
        {
            var rule = new StreamRule(route, clusters);
            foreach (var attachment in route.Attachments)
            {
                if (!listeners.TryGetValue(attachment.ListenerId, out var listener))
                {
                    continue;
                }

                var port = ports[listener.Port];
                var matches = route.Matches.IsEmpty ? [StreamMatch.Any] : route.Matches.ToArray();
                foreach (var match in matches)
                {
                    if (match.Port is { } wanted && wanted != listener.Port)
                    {
                        continue;
                    }

                    var candidate = new StreamCandidate(rule, listener.Id, Subnet(match.SourceSubnet));
                    foreach (var pattern in SniPatterns(port.IsTls, match, attachment))
                    {
                        port.Index.GetOrAdd(pattern, () => []).Add(candidate);
                    }
                }
            }
        }

        return new StreamTable(ports);
    }

    public bool TryGetPort(int port, out StreamPort streamPort) => _ports.TryGetValue(port, out streamPort!);

    // The SNI names a match takes on a TLS port: its sniHosts within the attachment's hostnames (the listener's
    // hostname and a TLSRoute's hostnames); every connection on a TCP port.
    private static IEnumerable<string?> SniPatterns(bool tls, StreamMatch match, RouteAttachment attachment)
    {
        if (!tls)
        {
            return [null];
        }

        if (match.SniHosts.IsEmpty)
        {
            return attachment.Hostnames.IsEmpty ? [null] : attachment.Hostnames.Select(h => (string?)h);
        }

        return attachment.Hostnames.IsEmpty
            ? match.SniHosts
            : match.SniHosts.SelectMany(s => attachment.Hostnames.Select(a => Hostnames.IntersectOne(a, s)).OfType<string>().Take(1));
    }

    // A subnet the translator could not read takes no connection (it reported the error).
    private static IPNetwork? Subnet(string? text) =>
        text is null ? null : IPNetwork.TryParse(text, out var network) ? network : new IPNetwork(IPAddress.IPv6None, 128);
}

/// <summary>The rules of one listener port.</summary>
internal sealed class StreamPort(int port, bool isTls)
{
    public int Port { get; } = port;

    /// <summary>A TLS-passthrough port: rules are chosen by the ClientHello's SNI.</summary>
    public bool IsTls { get; } = isTls;

    /// <summary>Candidates by SNI pattern; on TCP ports all under "any name".</summary>
    public HostIndex<List<StreamCandidate>> Index { get; } = new();

    /// <summary>The rule that takes a connection from <paramref name="client"/> with <paramref name="sni"/>, or null.</summary>
    public StreamCandidate? Select(IPAddress client, string? sni)
    {
        if (client.IsIPv4MappedToIPv6)
        {
            client = client.MapToIPv4();
        }

        foreach (var bucket in Index.Candidates(sni ?? string.Empty))
        {
            foreach (var candidate in bucket)
            {
                if (candidate.Subnet is not { } subnet || subnet.Contains(client))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}

/// <summary>A rule as reached through one listener and one match.</summary>
internal sealed record StreamCandidate(StreamRule Rule, string ListenerId, IPNetwork? Subnet);
