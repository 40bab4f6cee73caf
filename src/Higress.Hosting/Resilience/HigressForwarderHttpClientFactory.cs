using Higress.Hosting.Runtime;
using Higress.Hosting.Telemetry;
using Higress.Hosting.UpstreamTls;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Higress.Hosting.Resilience;

/// <summary>
/// Builds each cluster's forwarder client: YARP's handler, configured from the cluster's metadata (connection-pool
/// settings, and the connect callback that originates the cluster's TLS), wrapped in the <see cref="UpstreamHandler"/> that runs retries and reports every try.
/// </summary>
internal sealed class HigressForwarderHttpClientFactory(
    ILogger<ForwarderHttpClientFactory> logger, GatewayTelemetry telemetry, IOptions<HigressOptions> options, UpstreamTlsCatalog tls, UpstreamTlsConnector connector)
    : ForwarderHttpClientFactory(logger)
{
    // YARP compares only HttpClientConfig; a changed pool or TLS setting must give a new client (a new pool) too.
    protected override bool CanReuseOldClient(ForwarderHttpClientContext context) =>
        base.CanReuseOldClient(context)
        && ConnectionPoolMetadata.SameSettings(context.OldMetadata, context.NewMetadata)
        && TlsVersion(context.OldMetadata) == TlsVersion(context.NewMetadata);

    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        if (options.Value.Profile == HigressProfile.Sidecar)
        {
            // A sidecar talks to few upstreams at a modest rate: idle connections (and their buffers) go sooner.
            handler.PooledConnectionIdleTimeout = SidecarProfile.PooledConnectionIdleTimeout;
        }

        ConnectionPoolMetadata.Apply(context.NewMetadata, handler);
        if (TlsVersion(context.NewMetadata) is not null && tls.Find(context.ClusterId) is { } clusterTls)
        {
            handler.ConnectCallback = connector.Callback(clusterTls);
        }

        // The gateway span's context goes upstream from the request transform (TracePropagation). The handler's own
        // propagation would start an HttpClient span that no Higress exporter exports and name it as the backend's parent.
        handler.ActivityHeadersPropagator = null;
    }

    private static string? TlsVersion(IReadOnlyDictionary<string, string>? metadata) => metadata?.GetValueOrDefault(UpstreamTlsCatalog.MetadataKey);

    protected override HttpMessageHandler WrapHandler(ForwarderHttpClientContext context, HttpMessageHandler handler) =>
        new UpstreamTimingHandler(new UpstreamHandler(base.WrapHandler(context, handler)), context.ClusterId, telemetry);
}
