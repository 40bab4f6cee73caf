using Higress.Core.Resources;

namespace Higress.Core.Plan;

/// <summary>
/// What the runtime needs to serve traffic, and nothing more: listeners, route rules and clusters.
/// A plan is immutable; a configuration change produces a new plan that replaces the old one atomically.
/// </summary>
/// <param name="Generation">Increases with every applied plan.</param>
/// <param name="Listeners">The ports to open and the hostnames they accept.</param>
/// <param name="Routes">Every route rule, each bound to the listeners it attached to.</param>
/// <param name="Clusters">Upstream clusters referenced by forwarding routes.</param>
public sealed record GatewayPlan(
    long Generation,
    EquatableArray<ListenerPlan> Listeners,
    EquatableArray<RoutePlan> Routes,
    EquatableArray<ClusterPlan> Clusters)
{
    /// <summary>The datagram routes of UDP listeners (UDPRoute); the HTTP pipeline never sees them.</summary>
    public EquatableArray<UdpRoutePlan> UdpRoutes { get; init; } = EquatableArray<UdpRoutePlan>.Empty;

    /// <summary>The L4 rules of TCP and TLS-passthrough listeners.</summary>
    public EquatableArray<StreamRoutePlan> StreamRoutes { get; init; } = EquatableArray<StreamRoutePlan>.Empty;

    /// <summary>A plan that serves nothing.</summary>
    public static GatewayPlan Empty { get; } = new(0, EquatableArray<ListenerPlan>.Empty, EquatableArray<RoutePlan>.Empty, EquatableArray<ClusterPlan>.Empty);
}
