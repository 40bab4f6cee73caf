using Higress.Core.Resources;

namespace Higress.Core.Plan;

/// <summary>One weighted backend of a UDP route: a service port and its endpoints.</summary>
/// <param name="Name">The backend, for messages and metrics: <c>namespace/service:port</c>.</param>
/// <param name="Weight">Relative weight; 0 is never chosen.</param>
/// <param name="Destinations">The endpoints (<see cref="DestinationPlan.Address"/> carries host and port); sessions take them in turn.</param>
public sealed record UdpBackendPlan(string Name, int Weight, EquatableArray<DestinationPlan> Destinations);
