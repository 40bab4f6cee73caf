using Higress.Core.Plan;
using Higress.Core.Routing;

namespace Higress.Hosting.Runtime;

internal sealed class HigressRouteFeature(RuntimeState state, RouteMatchResult match, RouteRuntime rule) : IHigressRouteFeature
{
    public RuntimeState State { get; } = state;

    public RouteMatchResult Match { get; } = match;

    /// <summary>The matched rule's runtime objects (plugin chain, backend picker), so that later stages need no lookup.</summary>
    public RouteRuntime Rule { get; } = rule;

    public BackendPlan? Backend { get; set; }

    /// <summary>The chosen backend's cluster runtime, looked up once when forwarding starts; null for local answers.</summary>
    public ClusterRuntime? Cluster { get; set; }

    /// <summary>The per-try state of a forwarded request, when the rule or cluster needs one (telemetry reads its tries).</summary>
    public Resilience.UpstreamCall? Upstream { get; set; }

    public long PlanGeneration => State.Plan.Generation;
}
