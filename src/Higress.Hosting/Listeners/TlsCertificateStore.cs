using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Higress.Core.Diagnostics;
using Higress.Core.Plan;
using Higress.Core.Routing;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace Higress.Hosting.Listeners;

/// <summary>
/// The TLS settings of the HTTPS listeners, chosen per handshake by local port and SNI (exact hostname, then the
/// longest wildcard, then a listener without hostname): the server certificate and, on a mutual-TLS listener, the CAs
/// client certificates must chain to. Replaced as one reference when a plan is applied, so that a rotated certificate
/// or CA applies to the next handshake while open connections carry on with theirs.
/// </summary>
internal sealed partial class TlsCertificateStore(ILogger<TlsCertificateStore> logger)
{
    private readonly ILogger<TlsCertificateStore> _logger = logger;
    private volatile IReadOnlyDictionary<int, HostIndex<ServerTls>> _byPort = new Dictionary<int, HostIndex<ServerTls>>();

    public void Update(IEnumerable<ListenerPlan> listeners)
    {
        var byPort = new Dictionary<int, HostIndex<ServerTls>>();
        foreach (var listener in listeners)
        {
            if (listener.Protocol != ListenerProtocol.Https)
            {
                continue;
            }

            if (!byPort.TryGetValue(listener.Port, out var index))
            {
                index = new HostIndex<ServerTls>();
                byPort[listener.Port] = index;
            }

            if (listener.Tls is not { Certificates.Count: > 0 } tls)
            {
                continue;
            }

            var first = tls.Certificates[0];
            var certificate = X509Certificate2.CreateFromPem(first.CertificatePem, first.PrivateKeyPem);
            var server = new ServerTls(
                certificate,
                SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true),
                tls.ClientValidation is { } validation ? new ClientCertificateTrust(validation) : null,
                listener.Id);
            foreach (var hostname in listener.Hostnames.IsEmpty ? [string.Empty] : listener.Hostnames.ToArray())
            {
                index.GetOrAdd(hostname, () => server);
            }
        }

        _byPort = byPort;
    }

    /// <summary>Kestrel's certificate selector (for HTTPS endpoints the host declares itself on a listener port).</summary>
    public X509Certificate2? Select(ConnectionContext? connection, string? serverName) => Find(connection, serverName)?.Certificate;

    /// <summary>
    /// Kestrel's endpoint defaults: an endpoint on an HTTPS listener's port gets its TLS from this store, per handshake
    /// (Kestrel then leaves the endpoint's configured HTTPS alone).
    /// </summary>
    public void Configure(ListenOptions listen)
    {
        if (listen.IPEndPoint is { } endpoint && _byPort.ContainsKey(endpoint.Port))
        {
            listen.UseHttps(new TlsHandshakeCallbackOptions { OnConnection = OnConnection, OnConnectionState = this });
        }
    }

    private static ValueTask<SslServerAuthenticationOptions> OnConnection(TlsHandshakeCallbackContext context)
    {
        var store = (TlsCertificateStore)context.State!;
        var server = store.Find(context.Connection, context.ClientHelloInfo.ServerName);
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = server?.Context,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
        if (server?.ClientTrust is { } trust)
        {
            var port = (context.Connection.LocalEndPoint as IPEndPoint)?.Port ?? 0;
            options.ClientCertificateRequired = true;
            options.RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
            {
                if (trust.Check(certificate, chain) is not { } refusal)
                {
                    return true;
                }

                Log.ClientCertificateRefused(store._logger, port, server.Listener, (certificate as X509Certificate2)?.Subject ?? certificate?.Subject ?? "(none)", refusal);
                return false;
            };
        }

        return ValueTask.FromResult(options);
    }

    private ServerTls? Find(ConnectionContext? connection, string? serverName)
    {
        var port = (connection?.LocalEndPoint as IPEndPoint)?.Port ?? 0;
        if (!_byPort.TryGetValue(port, out var index))
        {
            return null;
        }

        // A client without SNI, or with a name no listener claims, still gets the port's first certificate.
        return index.Find(RouteTable.HostWithoutPort(serverName ?? string.Empty)) ?? index.Values.FirstOrDefault();
    }

    private sealed record ServerTls(X509Certificate2 Certificate, SslStreamCertificateContext Context, ClientCertificateTrust? ClientTrust, string Listener);

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.ClientCertificateRefused, Level = LogLevel.Debug, Message = "Port {Port} ({Listener}) refused the client certificate {Subject} at the TLS handshake: {Reason}")]
        public static partial void ClientCertificateRefused(ILogger logger, int port, string listener, string subject, string reason);
    }
}
