using Higress.Core.Resources;

namespace Higress.Core.Plan;

/// <summary>
/// One L4 rule for TCP and TLS-passthrough listeners (TCPRoute, TLSRoute, a native Route's <c>tcp[]</c> or
/// <c>tls[]</c>): which connections it takes and the weighted backends one of which each connection goes to.
/// </summary>
/// <param name="Id">Unique id, e.g. <c>TCPRoute/default/db/rules/0</c> or <c>Route/default/r/tcp/0</c>.</param>
/// <param name="Owner">The object that declared the rule.</param>
/// <param name="Order">Precedence among rules of one listener: older object first, then the earlier rule.</param>
/// <param name="Attachments">The listeners the rule serves; on TLS listeners the hostnames are the SNI names it takes (empty: any).</param>
/// <param name="Matches">Conditions on the connection, OR'ed; empty matches every connection.</param>
/// <param name="Backends">The weighted backends.</param>
public sealed record StreamRoutePlan(
    string Id,
    ResourceKey Owner,
    RouteOrder Order,
    EquatableArray<RouteAttachment> Attachments,
    EquatableArray<StreamMatch> Matches,
    EquatableArray<StreamBackend> Backends);
