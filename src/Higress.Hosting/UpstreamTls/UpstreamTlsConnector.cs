using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Higress.Hosting.UpstreamTls;

/// <summary>
/// Opens a cluster's upstream connections and originates TLS on them itself, as the <see cref="SocketsHttpHandler.ConnectCallback"/>
/// of the cluster's own handler (so one cluster's TLS never reaches another's pool). <see cref="SocketsHttpHandler"/>
/// uses an <see cref="SslStream"/> returned by the callback as the connection's TLS instead of its own, and its own
/// would take the SNI from the request's Host header or address (never from
/// <see cref="SslClientAuthenticationOptions.TargetHost"/>), while the plan's server name must win over both.
/// </summary>
internal sealed class UpstreamTlsConnector(UpstreamTlsIncidents incidents)
{
    /// <summary>The connect callback for <paramref name="tls"/>.</summary>
    public Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> Callback(ClusterTls tls) =>
        (context, cancellationToken) => ConnectAsync(tls, context.DnsEndPoint, cancellationToken);

    private async ValueTask<Stream> ConnectAsync(ClusterTls tls, System.Net.DnsEndPoint endpoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        UpstreamTlsRefusal? refusal = null;
        try
        {
            var roots = tls.Material.Roots();
            var options = new SslClientAuthenticationOptions
            {
                TargetHost = tls.Plan.ServerName,
                ApplicationProtocols = [tls.Http2 ? SslApplicationProtocol.Http2 : SslApplicationProtocol.Http11],
                ClientCertificateContext = tls.Material.ClientCertificate(),
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
                {
                    refusal = UpstreamCertificateValidator.Check(tls.Plan, roots, certificate as X509Certificate2, chain);
                    return refusal is null;
                },
            };
            await ssl.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
            if (tls.Http2 && ssl.NegotiatedApplicationProtocol != SslApplicationProtocol.Http2)
            {
                refusal = new("alpn", "the upstream did not accept HTTP/2 (ALPN h2); serve HTTP/2 over TLS or use the HTTPS protocol");
                throw new AuthenticationException(refusal.Message);
            }
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or UpstreamTlsMaterialException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            refusal ??= ex is UpstreamTlsMaterialException
                ? new("material", ex.Message)
                : new("handshake", $"the TLS handshake with {endpoint.Host}:{endpoint.Port} failed: {ex.Message}");
            incidents.Failed(tls, refusal);
            throw new UpstreamTlsException(tls.ClusterId, refusal, ex);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        incidents.Succeeded(tls);
        return ssl;
    }
}

/// <summary>TLS toward an upstream failed; the gateway answers 503 and never forwards the request.</summary>
internal sealed class UpstreamTlsException(string clusterId, UpstreamTlsRefusal refusal, Exception inner)
    : AuthenticationException($"cluster {clusterId}: upstream TLS refused ({refusal.Kind}): {refusal.Message}", inner)
{
    /// <summary>Why.</summary>
    public UpstreamTlsRefusal Refusal { get; } = refusal;
}
