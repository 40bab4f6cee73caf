using Higress.Core.Diagnostics;
using Higress.Core.Resources.Sources;
using Higress.Hosting;
using Higress.Kubernetes;
using Higress.Kubernetes.Watching;
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
    /// <c>/readyz</c> waits until every watched kind has been listed and a plan with them applied.
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

        builder.Services.AddSingleton<IResourceSource>(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<KubernetesOptions>>().Value;
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Higress.Kubernetes");
            var time = sp.GetService<TimeProvider>();
            return new KubernetesResourceSource(settings, settings.Enabled ? Connect(settings, logger) : null, logger, time);
        });
        return builder;
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

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.KubernetesConfigFailed, Level = LogLevel.Critical, Message = "Higress:Kubernetes: cannot load the client configuration from {Where}")]
        public static partial void ConfigFailed(ILogger logger, string where, Exception exception);
    }
}
