using Higress.Core.Resources;

namespace Higress.Core.Translation;

/// <summary>One host the sidecar's outbound port resolves: its names, its ports and how to make its cluster.</summary>
/// <param name="Key">The Service or ServiceEntry.</param>
/// <param name="Aliases">The names that reach it, the fully qualified one last.</param>
/// <param name="Ports">Its ports.</param>
/// <param name="Resolve">Resolves the cluster of one port.</param>
internal sealed record MeshService(ResourceKey Key, string[] Aliases, int[] Ports, Func<BackendResolver, int, BackendResult> Resolve)
{
    /// <summary>The port a Host without a port reaches: 80 (HTTP's default), else a single port, else none.</summary>
    public int? DefaultPort => Ports.Contains(80) ? 80 : Ports.Length == 1 ? Ports[0] : null;
}

/// <summary>
/// The hosts the sidecar's outbound port resolves without a Route: ServiceEntry hosts (wildcards excluded), and each
/// Service as <c>svc.ns</c>, <c>svc.ns.svc</c> and <c>svc.ns.svc.cluster.local</c>, plus <c>svc</c> in the sidecar's
/// namespace. A name belongs to the first host that claims it, ServiceEntries first, as destinations resolve.
/// </summary>
internal sealed class MeshServices
{
    private readonly Dictionary<string, MeshService> _byAlias = new(StringComparer.OrdinalIgnoreCase);

    public MeshServices(ResourceSnapshot snapshot, string home)
    {
        foreach (var entry in snapshot.OfType<ServiceEntry>())
        {
            var ports = entry.Spec.Ports.Select(p => p.Number).ToArray();
            foreach (var host in entry.Spec.Hosts.Where(h => !h.StartsWith('*')))
            {
                Add(new MeshService(entry.Key, [host.ToLowerInvariant()], ports, (backends, port) => backends.ResolveServiceEntryPort(entry, host, port)));
            }
        }

        foreach (var service in snapshot.OfType<Service>())
        {
            var (name, ns) = (service.Name, service.Namespace);
            string[] qualified = [$"{name}.{ns}", $"{name}.{ns}.svc", $"{name}.{ns}.svc.cluster.local"];
            var aliases = ns == home ? [name, .. qualified] : qualified;
            Add(new MeshService(service.Key, aliases, service.Spec.Ports.Select(p => p.Port).ToArray(), (backends, port) => backends.ResolveServicePort(ns, name, port)));
        }
    }

    public List<MeshService> All { get; } = [];

    /// <summary>The host a Route's <c>hosts</c> entry names; a short name means a Service in the Route's namespace.</summary>
    public MeshService? Named(string host, string routeNamespace)
    {
        if (!host.Contains('.', StringComparison.Ordinal) && _byAlias.TryGetValue($"{host}.{routeNamespace}", out var local))
        {
            return local;
        }

        return _byAlias.GetValueOrDefault(host);
    }

    private void Add(MeshService service)
    {
        var free = service.Aliases.Where(a => !_byAlias.ContainsKey(a)).ToArray();
        if (free.Length == 0)
        {
            return;
        }

        var owned = service with { Aliases = free };
        foreach (var alias in free)
        {
            _byAlias[alias] = owned;
        }

        All.Add(owned);
    }
}
