using Higress.Core.Policies;
using Higress.Core.Resources.Sources;
using Higress.Hosting;
using Higress.Hosting.AccessLog;
using Higress.Hosting.Admin;
using Higress.Hosting.Configuration;
using Higress.Hosting.Listeners;
using Higress.Hosting.Plugins;
using Higress.Hosting.Resilience;
using Higress.Hosting.Runtime;
using Higress.Hosting.UpstreamTls;
using Higress.Hosting.Shutdown;
using Higress.Hosting.Sources;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Higress.Net in an ASP.NET Core host.</summary>
public static class HigressServiceCollectionExtensions
{
    /// <summary>
    /// Adds the gateway, configured from <paramref name="configuration"/> (the <c>Higress</c> section:
    /// <c>ConfigDir</c>, <c>BindAddress</c>, <c>Admin</c>, <c>Resources</c>, ...) and, optionally, from code.
    /// Call <c>app.MapHigress()</c> to serve it.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The <c>Higress</c> configuration section.</param>
    /// <param name="configure">Routes, services and other objects declared in code.</param>
    /// <returns>A builder to chain <c>AddPlugin&lt;T&gt;()</c> and other registrations.</returns>
    public static IHigressBuilder AddHigress(this IServiceCollection services, IConfiguration configuration, Action<ResourceBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<HigressOptions>().Bind(configuration);
        AddConfiguredSources(services, _ => configuration);
        return AddCore(services, configure);
    }

    /// <summary>
    /// Adds the gateway with objects declared in code, plus whatever the host's <c>Higress</c> configuration section
    /// declares (<c>ConfigDir</c>, <c>Resources</c>, ...). Call <c>app.MapHigress()</c> to serve it.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Routes, services and other objects declared in code.</param>
    /// <returns>A builder to chain <c>AddPlugin&lt;T&gt;()</c> and other registrations.</returns>
    public static IHigressBuilder AddHigress(this IServiceCollection services, Action<ResourceBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<HigressOptions>().BindConfiguration("Higress");
        AddConfiguredSources(services, sp => sp.GetRequiredService<IConfiguration>().GetSection("Higress"));
        return AddCore(services, configure);
    }

    private static void AddConfiguredSources(IServiceCollection services, Func<IServiceProvider, IConfiguration> section)
    {
        if (services.Any(d => d.ServiceType == typeof(HigressRuntime)))
        {
            // Sources from configuration are registered once, by the first AddHigress call.
            return;
        }

        services.AddSingleton<IResourceSource>(sp => new ConfigurationResourceSource(section(sp), logger: sp.GetService<ILogger<ConfigurationResourceSource>>()));
        services.AddSingleton<IResourceSource>(sp =>
        {
            var dir = sp.GetRequiredService<IOptions<HigressOptions>>().Value.ConfigDir;
            return string.IsNullOrWhiteSpace(dir)
                ? new CodeResourceSource(null, "no-config-dir")
                : new DirectoryResourceSource(Path.GetFullPath(dir), logger: sp.GetService<ILogger<DirectoryResourceSource>>(), limits: sp.GetRequiredService<IOptions<HigressOptions>>().Value.Limits, maxDelay: sp.GetRequiredService<IOptions<HigressOptions>>().Value.ReloadMaxDelay);
        });
    }

    private static HigressBuilder AddCore(IServiceCollection services, Action<ResourceBuilder>? configure)
    {
        if (configure is not null)
        {
            services.AddSingleton<IResourceSource>(new CodeResourceSource(configure));
        }

        if (services.Any(d => d.ServiceType == typeof(HigressRuntime)))
        {
            return new HigressBuilder(services);
        }

        DurationConverter.Register();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        HigressPluginServices.Add(services);
        services.TryAddSingleton<HigressMetrics>();
        services.TryAddSingleton<Higress.Hosting.Telemetry.GatewayTelemetry>();
        services.TryAddSingleton<RequestMirror>();
        services.TryAddSingleton<PrometheusText>();
        services.TryAddSingleton<AdminEndpoints>();
        services.TryAddSingleton<AccessLogSink>();
        services.TryAddSingleton<AccessLogWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<AccessLogWriter>());
        services.AddSingleton<Yarp.ReverseProxy.Transforms.Builder.ITransformProvider, AccessLogTransforms>();
        services.TryAddSingleton<YarpApplyListener>();
        services.AddSingleton<IConfigChangeListener>(sp => sp.GetRequiredService<YarpApplyListener>());
        services.TryAddSingleton<UpstreamTlsCatalog>();
        services.TryAddSingleton<UpstreamTlsIncidents>();
        services.TryAddSingleton<UpstreamTlsConnector>();
        services.TryAddSingleton<HigressProxyConfigProvider>();
        services.AddSingleton<IProxyConfigProvider>(sp => sp.GetRequiredService<HigressProxyConfigProvider>());
        services.TryAddSingleton<TlsCertificateStore>();
        services.TryAddSingleton<ListenerManager>();
        services.TryAddSingleton<Higress.Hosting.Datagrams.DatagramMetrics>();
        services.TryAddSingleton<Higress.Hosting.Datagrams.DatagramProxy>();
        services.TryAddSingleton<HigressRuntime>();
        services.TryAddSingleton(sp => new RequestNormalization(sp.GetRequiredService<IOptions<HigressOptions>>().Value.Security));
        services.TryAddSingleton<HigressConfigurationLoop>();
        services.AddHostedService(sp => sp.GetRequiredService<HigressConfigurationLoop>());
        services.TryAddSingleton<SidecarProfile>();
        services.AddHostedService(sp => sp.GetRequiredService<SidecarProfile>());
        services.TryAddSingleton<GracefulDrain>();
        services.AddHostedService(sp => sp.GetRequiredService<GracefulDrain>());
        services.AddOptions<HostOptions>().Configure<IOptions<HigressOptions>>((host, higress) => GracefulDrain.ConfigureHostOptions(host, higress.Value.Shutdown));
        var hostWarmsDataProtection = services.Any(IsDataProtectionWarmUp);
        services.AddReverseProxy().AddTransforms<HigressTransformProvider>();
        if (!hostWarmsDataProtection)
        {
            // YARP adds Data Protection for its session-affinity cookies, which Higress never configures; the hosted
            // service would read (or create) the key ring at start, keeping System.Private.Xml and the crypto code
            // resident (~4 MB) for nothing. The key ring still loads on first use.
            foreach (var warmUp in services.Where(IsDataProtectionWarmUp).ToList())
            {
                services.Remove(warmUp);
            }
        }

        Higress.Hosting.Balancing.HigressLoadBalancingPolicy.Add(services);

        // Every cluster's client is wrapped by the upstream handler (retries, per-try observation).
        services.AddSingleton<IForwarderHttpClientFactory, HigressForwarderHttpClientFactory>();
        services.AddSingleton<IClusterPolicyFactory, ConnectionPoolPolicyFactory>();
        services.AddSingleton<IClusterPolicyFactory, Higress.Hosting.FastPath.FastPathClusterFactory>();
        services.TryAddSingleton<Higress.Hosting.FastPath.FastForwarder>();
        services.TryAddSingleton<RetryMetrics>();
        services.TryAddSingleton<UpstreamRetries>();
        services.TryAddSingleton<Higress.Hosting.RateLimiting.RouteRateLimiters>();
        services.AddSingleton<IClusterPolicyFactory, RetryBudgetFactory>();
        services.AddSingleton<IClusterPolicyFactory, OutlierDetectionFactory>();
        services.AddSingleton<IPassiveHealthCheckPolicy, OutlierPassivePolicy>();
        services.AddSingleton<IActiveHealthCheckPolicy, ActiveHealthPolicy>();
        services.TryAddSingleton<Higress.Hosting.Streams.StreamMetrics>();
        services.TryAddSingleton<Higress.Hosting.Streams.StreamProxy>();
        services.AddOptions<SocketTransportOptions>().Configure<IOptions<HigressOptions>>((sockets, higress) =>
        {
            // One thread hop fewer per request (docs/performance.md, "Threads"); app code still runs on a pool thread.
            if (higress.Value.FastPath.InlineScheduling)
            {
                sockets.UnsafePreferInlineScheduling = true;
            }
        });
        services.AddOptions<KestrelServerOptions>().Configure<ListenerManager, Higress.Hosting.Streams.StreamProxy>((kestrel, listeners, streams) =>
        {
            kestrel.ConfigureHttpsDefaults(https => https.ServerCertificateSelector ??= listeners.Certificates.Select);

            // Kestrel keeps one endpoint-defaults callback, so both connection-level steps go in this one, in order:
            // TCP and TLS-passthrough listeners are served first, by local port, before any HTTP or TLS handling; then
            // HTTPS ports get their TLS, with the certificate and client validation chosen at each handshake.
            kestrel.ConfigureEndpointDefaults(listen =>
            {
                listen.Use(streams.Wrap);
                listeners.Certificates.Configure(listen);
            });
            kestrel.Configure(listeners.Configuration, reloadOnChange: true);
        });
        return new HigressBuilder(services);
    }

    private static bool IsDataProtectionWarmUp(ServiceDescriptor service) =>
        service.ServiceType == typeof(IHostedService)
        && service.ImplementationType?.FullName == "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService";
}
