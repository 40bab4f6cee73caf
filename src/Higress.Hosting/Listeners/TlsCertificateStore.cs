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
    private volatile IReadOnlyDictionary<int, HostIndex<X509Certificate2>> _byPort = new Dictionary<int, HostIndex<X509Certificate2>>();

    public void Update(IEnumerable<ListenerPlan> listeners)
    {
        var byPort = new Dictionary<int, HostIndex<X509Certificate2>>();
        foreach (var listener in listeners)
        {
            if (listener.Tls is not { Certificates.Count: > 0 } tls)
            {
                continue;
            }

            if (!byPort.TryGetValue(listener.Port, out var index))
            {
                index = new HostIndex<X509Certificate2>();
                byPort[listener.Port] = index;
            }

            var first = tls.Certificates[0];
            var certificate = X509Certificate2.CreateFromPem(first.CertificatePem, first.PrivateKeyPem);
            foreach (var hostname in listener.Hostnames.IsEmpty ? [string.Empty] : listener.Hostnames.ToArray())
            {
                index.GetOrAdd(hostname, () => certificate);
            }
        }

        _byPort = byPort;
    }

    /// <summary>Kestrel's certificate selector.</summary>
    public X509Certificate2? Select(ConnectionContext? connection, string? serverName)
    {
        var port = (connection?.LocalEndPoint as IPEndPoint)?.Port ?? 0;
        if (!_byPort.TryGetValue(port, out var index))
        {
            return null;
        }

        // A client without SNI, or with a name no listener claims, still gets the port's first certificate.
        return index.Find(RouteTable.HostWithoutPort(serverName ?? string.Empty)) ?? index.Values.FirstOrDefault();
    }
}
