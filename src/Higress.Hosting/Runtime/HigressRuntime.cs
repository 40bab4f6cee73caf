using System.Diagnostics;
using Higress.Core.Diagnostics;
using Higress.Core.Plan;
using Higress.Core.Plugins;
using Higress.Core.Policies;
using Higress.Core.Resources;
using Higress.Core.Routing;
using Higress.Core.Translation;
using Higress.Hosting.Listeners;
using Higress.Hosting.RateLimiting;
using Higress.Hosting.Resilience;
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
    IEnumerable<IClusterPolicyFactory> clusterPolicies,
    ListenerManager listeners,
    Datagrams.DatagramProxy datagrams,
    HigressMetrics metrics,
    UpstreamRetries retries,
    RouteRateLimiters rateLimiters,
    ILogger<HigressRuntime> logger)
{
    private static readonly TimeSpan YarpApplyTimeout = TimeSpan.FromSeconds(30);
    private readonly Lock _applyLock = new();
    private readonly IClusterPolicyFactory[] _clusterPolicies = clusterPolicies.ToArray();
    private volatile RuntimeState _current = RuntimeState.Empty;
    private readonly DiagnosticLog _diagnostics = new(logger);
    private EndpointDataSource? _yarpEndpoints;

    // The clusters YARP serves and their endpoints; null while YARP may hold something else (an update failed midway).
    private (EquatableArray<ClusterPlan> Clusters, IReadOnlyDictionary<string, Endpoint> Endpoints)? _published;

    /// <summary>State that outlives plans (cluster policies, plugin instance state), reused while its owner is unchanged.</summary>
    public PolicyStateStore PolicyState { get; } = new();

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

            var stopwatch = Stopwatch.StartNew();
            using var scope = PolicyState.BeginApply();
            try
            {
                var plan = translation.Plan;
                var table = RouteTable.Build(plan);

                // A diff: rules and clusters whose plan is unchanged keep their runtime objects and long-lived state.
                var routes = new Dictionary<RoutePlan, RouteRuntime>(plan.Routes.Count, ReferenceEqualityComparer.Instance);
                foreach (var route in plan.Routes)
                {
                    routes[route] = scope.GetOrCreate("route:" + route.Id, route, r => new RouteRuntime(r, chains.Create(r, scope)) { Retry = retries.Create(r), RateLimiter = rateLimiters.Create(r) });
                }

                var clusters = new Dictionary<string, ClusterRuntime>(plan.Clusters.Count, StringComparer.Ordinal);
                foreach (var cluster in plan.Clusters)
                {
                    clusters[cluster.Id] = scope.GetOrCreate("cluster:" + cluster.Id, cluster, c => new ClusterRuntime(c, _clusterPolicies));
                }

                translation = WithLastGoodNotes(translation, routes.Values);
                LastTranslation = translation;
                _diagnostics.Update(translation.Diagnostics);

                // YARP holds clusters only: when they are what it serves now (most edits touch routes), it has nothing to do.
                if (_published is not { } published || !published.Clusters.Equals(plan.Clusters))
                {
                    _published = null;
                    _published = (plan.Clusters, CollectEndpoints(plan, yarp.Update(plan)));
                }

                var endpoints = _published.Value.Endpoints;
                _current = new RuntimeState(translation, table, endpoints, routes, clusters);
                scope.Commit();
                listeners.Update(plan.Listeners);
                datagrams.Update(plan);
                HasAppliedPlan = true;
                LastApplyError = null;
                metrics.PlanApplied(plan.Generation, translation.Diagnostics.Count(d => d.IsError));
                Log.PlanApplied(logger, plan.Generation, plan.Listeners.Count, plan.Routes.Count, plan.Clusters.Count, scope.Reused, scope.Created, stopwatch.ElapsedMilliseconds);
                return true;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _diagnostics.Update(translation.Diagnostics);
                LastApplyError = ex.Message;
                metrics.PlanRejected();
                Log.PlanRejected(logger, translation.Plan.Generation, ex);
                return false;
            }
        }
    }

    /// <summary>
    /// Adds an error for each plugin instance whose new config is invalid and whose last good config keeps serving
    /// (the chain holds a binding with the old config where the plan has the new one), so that the log,
    /// <c>/config_dump</c> and the object's status say which configuration is really in force.
    /// </summary>
    private static TranslationResult WithLastGoodNotes(TranslationResult translation, IEnumerable<RouteRuntime> routes)
    {
        List<ConfigDiagnostic>? notes = null;
        foreach (var route in routes)
        {
            foreach (var serving in route.Plugins.Bindings)
            {
                if (route.Route.Plugins.FirstOrDefault(b => b.Name == serving.Name && b.InstanceId == serving.InstanceId) is { } wanted
                    && wanted.ConfigJson != serving.ConfigJson)
                {
                    notes ??= [];
                    notes.Add(new ConfigDiagnostic(
                        DiagnosticSeverity.Error,
                        serving.InstanceId,
                        "config",
                        $"the new {serving.Name} config is invalid; the last good config keeps serving on rule {route.Route.Id}: {serving.ConfigJson}",
                        "fix the config (see the errors above); until then the previous one stays in force"));
                }
            }
        }

        if (notes is null)
        {
            return translation;
        }

        var condition = new StatusCondition("Programmed", true, "LastGoodConfig", "the current config is invalid; the last good config keeps serving");
        var objects = notes.Select(n => n.Object).ToHashSet(StringComparer.Ordinal);
        var statuses = translation.Statuses
            .Select(status => objects.Remove(status.Object)
                ? status with { Conditions = [.. status.Conditions.Where(c => c.Type != condition.Type), condition] }
                : status)
            .ToList();
        statuses.AddRange(objects.Select(o => new ObjectStatus(o, 0, [condition], [])));
        return translation with { Diagnostics = [.. translation.Diagnostics, .. notes.Distinct()], Statuses = [.. statuses] };
    }

    private Dictionary<string, Endpoint> CollectEndpoints(GatewayPlan plan, Task applied)
    {
        var result = new Dictionary<string, Endpoint>(plan.Clusters.Count, StringComparer.Ordinal);
        if (plan.Clusters.Count == 0)
        {
            return result;
        }

        var source = _yarpEndpoints ?? throw new InvalidOperationException("Higress has not been mapped: call app.MapHigress() before the application starts.");

        // YARP applies an in-memory configuration synchronously when signalled, so this is normally complete already.
        // The bound only guards against a YARP that hands the work to another thread and never reports back.
        try
        {
            if (!applied.Wait(YarpApplyTimeout))
            {
                throw new InvalidOperationException($"YARP did not report applying plan {plan.Generation} within {YarpApplyTimeout.TotalSeconds:0} s.");
            }
        }
        catch (AggregateException ex) when (ex.InnerException is { } refused)
        {
            throw new InvalidOperationException($"YARP refused plan {plan.Generation}: {refused.Message}", refused);
        }

        foreach (var endpoint in source.Endpoints)
        {
            if (endpoint.Metadata.GetMetadata<RouteModel>() is { } model && model.Config.ClusterId is { } clusterId)
            {
                result[clusterId] = endpoint;
            }
        }

        foreach (var cluster in plan.Clusters)
        {
            if (!result.ContainsKey(cluster.Id))
            {
                throw new InvalidOperationException($"YARP applied plan {plan.Generation} without cluster '{cluster.Id}'.");
            }
        }

        return result;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.PlanApplied, Level = LogLevel.Information, Message = "Applied plan {Generation}: {Listeners} listener(s), {Routes} rule(s), {Clusters} cluster(s); {Reused} runtime object(s) reused, {Created} created, in {ElapsedMs} ms")]
        public static partial void PlanApplied(ILogger logger, long generation, int listeners, int routes, int clusters, int reused, int created, long elapsedMs);

        [LoggerMessage(EventId = EventIds.PlanRejected, Level = LogLevel.Error, Message = "Plan {Generation} was not applied; the previous plan keeps serving")]
        public static partial void PlanRejected(ILogger logger, long generation, Exception exception);
    }
}
