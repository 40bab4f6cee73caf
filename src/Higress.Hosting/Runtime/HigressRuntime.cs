using System.Diagnostics;
using Higress.Core.Plan;
using Higress.Core.Plugins;
using Higress.Core.Resources;
using Higress.Core.Routing;
using Higress.Core.Translation;
using Higress.Hosting.Listeners;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Model;

namespace Higress.Hosting.Runtime;

/// <summary>
/// Applies translation results atomically. A new plan is made ready off to the side (route table, plugin chains,
/// YARP clusters and endpoints) and then swapped in with one reference write; requests already running finish on
/// the state they started with. A plan that cannot be applied never replaces the last good one.
/// </summary>
internal sealed partial class HigressRuntime(
    HigressProxyConfigProvider yarp,
    IPluginChainFactory chains,
    ListenerManager listeners,
    HigressMetrics metrics,
    ILogger<HigressRuntime> logger)
{
    private readonly Lock _applyLock = new();
    private volatile RuntimeState _current = RuntimeState.Empty;
    private readonly DiagnosticLog _diagnostics = new(logger);
    private EndpointDataSource? _yarpEndpoints;

    /// <summary>The state requests run on.</summary>
    public RuntimeState Current => _current;

    /// <summary>True once a plan has been applied.</summary>
    public bool HasAppliedPlan { get; private set; }

    /// <summary>The most recent translation, applied or not (for <c>/config_dump</c>).</summary>
    public TranslationResult? LastTranslation { get; private set; }

    /// <summary>The error that stopped the most recent plan from applying, or null.</summary>
    public string? LastApplyError { get; private set; }

    /// <summary>The snapshot behind the most recent translation.</summary>
    public ResourceSnapshot? LastSnapshot { get; private set; }

    /// <summary>Called by <c>MapHigress</c> with YARP's endpoint source, which is kept out of ASP.NET routing.</summary>
    public void AttachYarp(EndpointDataSource endpoints) => _yarpEndpoints = endpoints;

    /// <summary>Applies a translation. Returns false (and keeps serving the previous plan) when it cannot be applied.</summary>
    public bool Apply(TranslationResult translation, ResourceSnapshot? snapshot = null)
    {
        lock (_applyLock)
        {
            LastTranslation = translation;
            LastSnapshot = snapshot ?? LastSnapshot;
            _diagnostics.Update(translation.Diagnostics);

            var stopwatch = Stopwatch.StartNew();
            try
            {
                var plan = translation.Plan;
                var table = RouteTable.Build(plan);
                var routes = new Dictionary<RoutePlan, RouteRuntime>(plan.Routes.Count, ReferenceEqualityComparer.Instance);
                foreach (var route in plan.Routes)
                {
                    routes[route] = new RouteRuntime(route, chains.Create(route));
                }

                yarp.Update(plan);
                var endpoints = CollectEndpoints(plan);
                _current = new RuntimeState(translation, table, endpoints, routes);
                listeners.Update(plan.Listeners);
                HasAppliedPlan = true;
                LastApplyError = null;
                metrics.PlanApplied(plan.Generation, translation.Diagnostics.Count(d => d.IsError));
                Log.PlanApplied(logger, plan.Generation, plan.Listeners.Count, plan.Routes.Count, plan.Clusters.Count, stopwatch.ElapsedMilliseconds);
                return true;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LastApplyError = ex.Message;
                metrics.PlanRejected();
                Log.PlanRejected(logger, translation.Plan.Generation, ex);
                return false;
            }
        }
    }

    private Dictionary<string, Endpoint> CollectEndpoints(GatewayPlan plan)
    {
        var result = new Dictionary<string, Endpoint>(plan.Clusters.Count, StringComparer.Ordinal);
        if (plan.Clusters.Count == 0)
        {
            return result;
        }

        var source = _yarpEndpoints ?? throw new InvalidOperationException("Higress has not been mapped: call app.MapHigress() before the application starts.");

        // YARP applies an in-memory configuration synchronously when it is signalled; wait briefly in case it did not.
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 10;
        while (true)
        {
            result.Clear();
            var byRoute = new Dictionary<string, Endpoint>(StringComparer.Ordinal);
            foreach (var endpoint in source.Endpoints)
            {
                if (endpoint.Metadata.GetMetadata<RouteModel>() is { } model)
                {
                    byRoute[model.Config.RouteId] = endpoint;
                }
            }

            var missing = 0;
            foreach (var cluster in plan.Clusters)
            {
                if (byRoute.TryGetValue(HigressProxyConfigProvider.RouteIdFor(cluster.Id), out var endpoint)
                    && endpoint.Metadata.GetMetadata<RouteModel>()?.Cluster?.Model.Config is { } applied
                    && applied.Equals(HigressProxyConfigProvider.ToYarp(cluster)))
                {
                    result[cluster.Id] = endpoint;
                }
                else
                {
                    missing++;
                }
            }

            if (missing == 0)
            {
                return result;
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new InvalidOperationException($"YARP did not apply {missing} cluster(s) of plan {plan.Generation}; see the YARP log for the validation error.");
            }

            Thread.Sleep(5);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Applied plan {Generation}: {Listeners} listener(s), {Routes} rule(s), {Clusters} cluster(s) in {ElapsedMs} ms")]
        public static partial void PlanApplied(ILogger logger, long generation, int listeners, int routes, int clusters, long elapsedMs);

        [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Plan {Generation} was not applied; the previous plan keeps serving")]
        public static partial void PlanRejected(ILogger logger, long generation, Exception exception);
    }
}
