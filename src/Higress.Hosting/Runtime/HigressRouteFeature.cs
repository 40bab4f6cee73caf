using Higress.Core.Plan;
using Higress.Core.Routing;

namespace Higress.Hosting.Runtime;

internal sealed class HigressRouteFeature(RuntimeState state, RouteMatchResult match) : IHigressRouteFeature
{
    public RuntimeState State { get; } = state;

    public RouteMatchResult Match { get; } = match;

    public BackendPlan? Backend { get; set; }

    public long PlanGeneration => State.Plan.Generation;
}
