using System.Diagnostics.Metrics;
using Higress.Core.Diagnostics;
using Higress.Core.Plugins;
using Higress.Hosting.Plugins.AspNetAuthorization;
using Higress.Hosting.Plugins.ClusterKeyRateLimit;
using Higress.Hosting.Plugins.KeyRateLimit;
using Higress.Hosting.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Higress.Hosting.Plugins;

/// <summary>Registers the plugin seam: the catalog (built-ins plus every registered <see cref="IHigressPlugin"/>) and the chain factory.</summary>
internal static class HigressPluginServices
{
    /// <summary>Adds the catalog and chain factory once; safe to call repeatedly.</summary>
    public static IServiceCollection Add(IServiceCollection services)
    {
        // Built-ins are created from the host's services (HttpClient factory, TimeProvider, loggers, options).
        services.AddHttpClient();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new HigressMeter(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton<HigressMetrics>();
        services.TryAddSingleton<PluginRuntimeReports>();
        // Hosting's own built-ins join the user's plugins: they need the host's ASP.NET Core authorization services,
        // and the gateway's metrics and rate-limit store.
        services.TryAddSingleton(sp => new PluginCatalog(
            [
                ActivatorUtilities.CreateInstance<AspNetAuthorizationPlugin>(sp),
                ActivatorUtilities.CreateInstance<KeyRateLimitPlugin>(sp),
                ActivatorUtilities.CreateInstance<ClusterKeyRateLimitPlugin>(sp),
                .. sp.GetServices<IHigressPlugin>(),
            ], sp));
        services.TryAddSingleton<IPluginChainFactory>(sp => new PluginChainFactory(
            sp.GetRequiredService<PluginCatalog>(),
            sp.GetService<ILoggerFactory>(),
            sp.GetRequiredService<HigressMeter>()));
        return services;
    }
}
