using Higress.Core.Plan;
using Higress.Core.Routing;

namespace Higress.Hosting;

/// <summary>
/// Set on <c>HttpContext.Features</c> for every request Higress routes: what matched and where it goes.
/// Plugins and the host's own middleware can read it.
/// </summary>
public interface IHigressRouteFeature
{
    /// <summary>The matched rule, the match that applied and the listener.</summary>
    RouteMatchResult Match { get; }

    /// <summary>The chosen backend for forwarding rules, else null.</summary>
    BackendPlan? Backend { get; }

    /// <summary>The generation of the plan the request runs on.</summary>
    long PlanGeneration { get; }
}
