using Higress.Core.Resources;

namespace Higress.Core.Plan;

/// <summary>Where a route rule attached: a listener and the hostnames it serves there.</summary>
/// <param name="ListenerId">The listener's id.</param>
/// <param name="Hostnames">The intersection of the route's and the listener's hostnames; empty means any host.</param>
public sealed record RouteAttachment(string ListenerId, EquatableArray<string> Hostnames);
