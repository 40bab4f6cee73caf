using Higress.Core.Plan;
using Higress.Core.Routing;
using Higress.Core.Translation;
using Microsoft.AspNetCore.Http;

namespace Higress.Hosting.Runtime;

/// <summary>
/// Everything a request needs, swapped as one reference: a request reads it once at its start and finishes on it,
/// whatever plans are applied meanwhile.
/// </summary>
internal sealed class RuntimeState
{
    public RuntimeState(
        TranslationResult translation,
        RouteTable table,
        IReadOnlyDictionary<string, Endpoint> clusterEndpoints,
        IReadOnlyDictionary<RoutePlan, RouteRuntime> routes,
        IReadOnlyDictionary<string, ClusterRuntime>? clusters = null)
    {
        Clusters = clusters ?? new Dictionary<string, ClusterRuntime>();
        Translation = translation;
        Table = table;
        ClusterEndpoints = clusterEndpoints;
        Routes = routes;
    }

    public static RuntimeState Empty { get; } = new(
        new TranslationResult(GatewayPlan.Empty, default, default),
        RouteTable.Empty,
        new Dictionary<string, Endpoint>(),
        new Dictionary<RoutePlan, RouteRuntime>(ReferenceEqualityComparer.Instance));

    public TranslationResult Translation { get; }

    public GatewayPlan Plan => Table.Plan;

    public RouteTable Table { get; }

    /// <summary>The YARP endpoint for each cluster id.</summary>
    public IReadOnlyDictionary<string, Endpoint> ClusterEndpoints { get; }

    /// <summary>Each cluster's long-lived policy objects, by cluster id.</summary>
    public IReadOnlyDictionary<string, ClusterRuntime> Clusters { get; }

    /// <summary>Per-rule runtime objects (backend picker, plugin chain), keyed by reference.</summary>
    public IReadOnlyDictionary<RoutePlan, RouteRuntime> Routes { get; }
}
