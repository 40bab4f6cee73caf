using System.Net;
using System.Security.Cryptography.X509Certificates;
using Higress.Core.Plan;
using Higress.Core.Routing;
using Microsoft.AspNetCore.Connections;

namespace Higress.Hosting.Listeners;

/// <summary>
/// The certificates of the HTTPS listeners, chosen per connection by local port and SNI (exact hostname, then the
/// longest wildcard, then a listener without hostname). Replaced as one reference when a plan is applied.
/// </summary>
internal sealed class TlsCertificateStore
{
    private volatile IReadOnlyDictionary<int, HostIndexByName> _byPort = new Dictionary<int, HostIndexByName>();

    public void Update(IEnumerable<ListenerPlan> listeners)
    {
        var byPort = new Dictionary<int, HostIndexByName>();
        foreach (var listener in listeners)
        {
            if (listener.Tls is not { Certificates.Count: > 0 } tls)
            {
                continue;
            }

            if (!byPort.TryGetValue(listener.Port, out var index))
            {
                index = new HostIndexByName();
                byPort[listener.Port] = index;
            }

            var first = tls.Certificates[0];
            var certificate = X509Certificate2.CreateFromPem(first.CertificatePem, first.PrivateKeyPem);
            foreach (var hostname in listener.Hostnames.IsEmpty ? [string.Empty] : listener.Hostnames.ToArray())
            {
                index.Add(hostname, certificate);
            }
        }

        _byPort = byPort;
    }

    /// <summary>Kestrel's certificate selector.</summary>
    public X509Certificate2? Select(ConnectionContext? connection, string? serverName)
    {
        var port = (connection?.LocalEndPoint as IPEndPoint)?.Port ?? 0;
        return _byPort.TryGetValue(port, out var index) ? index.Find(serverName ?? string.Empty) : null;
    }

    private sealed class HostIndexByName
    {
        private readonly Dictionary<string, X509Certificate2> _exact = new(StringComparer.OrdinalIgnoreCase);
        private readonly List<(string Suffix, X509Certificate2 Certificate)> _wildcards = [];
        private X509Certificate2? _any;

        public void Add(string hostname, X509Certificate2 certificate)
        {
            if (hostname.Length == 0)
            {
                _any ??= certificate;
            }
            else if (hostname.StartsWith("*.", StringComparison.Ordinal))
            {
                _wildcards.Add((hostname[1..], certificate));
                _wildcards.Sort((a, b) => b.Suffix.Length.CompareTo(a.Suffix.Length));
            }
            else
            {
                _exact.TryAdd(hostname, certificate);
            }
        }

        public X509Certificate2? Find(string serverName)
        {
            var host = RouteTable.HostWithoutPort(serverName).ToString();
            if (_exact.TryGetValue(host, out var exact))
            {
                return exact;
            }

            foreach (var (suffix, certificate) in _wildcards)
            {
                if (host.Length > suffix.Length && host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                {
                    return certificate;
                }
            }

            return _any ?? _exact.Values.FirstOrDefault() ?? _wildcards.Select(w => w.Certificate).FirstOrDefault();
        }
    }
}
