using Higress.Core.Resources;

namespace Higress.Core.Plan;

/// <summary>
/// The datagram route of UDP listeners: each new client session (a client address and port) picks one backend by
/// weight and keeps it until the session idles out.
/// </summary>
/// <param name="Id">Unique id: <c>UDPRoute/namespace/name</c>.</param>
/// <param name="Route">The route object.</param>
/// <param name="Listeners">The ids of the UDP listeners it serves (each listener serves at most one route).</param>
/// <param name="Backends">The weighted backends; a backend whose reference did not resolve is left out.</param>
public sealed record UdpRoutePlan(
    string Id,
    ResourceKey Route,
    EquatableArray<string> Listeners,
    EquatableArray<UdpBackendPlan> Backends);
