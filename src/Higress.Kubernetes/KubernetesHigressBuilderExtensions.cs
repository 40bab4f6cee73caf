using System.Runtime.CompilerServices;
using Higress.Core.Diagnostics;
using Higress.Core.Resources.Sources;
using Higress.Hosting;
using Higress.Kubernetes;
using Higress.Hosting.Listeners;
using Higress.Hosting.Runtime;
using Higress.Kubernetes.Status;
using Higress.Kubernetes.Watching;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Kubernetes watch source to a Higress.Net gateway.</summary>
public static partial class KubernetesHigressBuilderExtensions
{
    /// <summary>
    /// Registers the Kubernetes source, configured from <c>Higress:Kubernetes</c> (<c>Enabled</c>, <c>Kubeconfig</c>,
    /// <c>Namespaces</c>, ...) and then <paramref name="configure"/>. It watches a cluster only when
    /// <see cref="KubernetesOptions.Enabled"/> is true; files, appsettings and code keep working beside it, and
    /// <c>/readyz</c> waits until every watched kind has been listed and a plan with them applied. The replica that
    /// holds the leader-election Lease writes each object's status (<see cref="KubernetesOptions.WriteStatus"/>).
    /// </summary>
    /// <param name="builder">The builder <c>AddHigress()</c> returned.</param>
    /// <param name="configure">Changes to the options after binding, e.g. <c>o =&gt; o.Enabled = true</c>.</param>
    /// <returns>The same builder.</returns>
    public static IHigressBuilder AddKubernetes(this IHigressBuilder builder, Action<KubernetesOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<KubernetesOptions>().BindConfiguration("Higress:Kubernetes");
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.AddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<KubernetesOptions>>().Value;
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Higress.Kubernetes");
            var time = sp.GetService<TimeProvider>();
            return new KubernetesResourceSource(settings, settings.Enabled ? Connect(settings, logger) : null, logger, time);
        });
        builder.Services.AddSingleton<IResourceSource>(sp => sp.GetRequiredService<KubernetesResourceSource>());
        builder.Services.AddSingleton<IHostedService>(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<KubernetesOptions>>().Value;
            var source = sp.GetRequiredService<KubernetesResourceSource>();
            if (source.Api is not { } api || !settings.WriteStatus)
            {
                return NoStatusWriter.Instance;
            }

            return StatusWriterFor(sp, source, api, settings);
        });
        return builder;
    }

    // Its own method, never inlined: the status writer's types come from KubernetesClient, and compiling them into the
    // factory above would load that assembly (~2.5 MB resident) in every process, watching a cluster or not.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IHostedService StatusWriterFor(IServiceProvider sp, KubernetesResourceSource source, KubeApi api, KubernetesOptions settings)
    {
        var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Higress.Kubernetes.Status");
        return new StatusWriter(
            source,
            api,
            new StatusLeader(api.Client, settings, logger),
            sp.GetRequiredService<HigressRuntime>(),
            sp.GetRequiredService<ListenerManager>(),
            settings,
            sp.GetRequiredService<IOptions<HigressOptions>>().Value.ControllerName,
            logger,
            sp.GetService<TimeProvider>() ?? TimeProvider.System);
    }

    private static KubeApi Connect(KubernetesOptions settings, ILogger logger)
    {
        try
        {
            return new KubeApi(KubeApi.LoadConfiguration(settings.Kubeconfig));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var where = string.IsNullOrWhiteSpace(settings.Kubeconfig) ? "the in-cluster service account, KUBECONFIG or ~/.kube/config" : settings.Kubeconfig;
            Log.ConfigFailed(logger, where, ex);
            throw new InvalidOperationException(
                $"Higress:Kubernetes: cannot load the client configuration from {where}: {ex.Message}. Set Higress:Kubernetes:Kubeconfig to a readable kubeconfig file, run in a pod with a service account, or set Higress:Kubernetes:Enabled=false.",
                ex);
        }
    }

    /// <summary>Stands in for the status writer when the source or status writing is off.</summary>
    private sealed class NoStatusWriter : IHostedService
    {
        public static readonly NoStatusWriter Instance = new();

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.KubernetesConfigFailed, Level = LogLevel.Critical, Message = "Higress:Kubernetes: cannot load the client configuration from {Where}")]
        public static partial void ConfigFailed(ILogger logger, string where, Exception exception);
    }
}
