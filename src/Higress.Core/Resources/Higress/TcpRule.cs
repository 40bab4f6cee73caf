namespace Higress.Core.Resources;

/// <summary>A native Route's <c>tcp[]</c> rule (Istio TCPRoute): byte streams on TCP listeners.</summary>
public sealed record TcpRule
{
    /// <summary>Conditions on the connection, OR'ed; none = every connection.</summary>
    public EquatableArray<L4Match> Match { get; init; }

    /// <summary>Weighted destinations; each connection goes to one of them.</summary>
    public EquatableArray<RouteDestination> Route { get; init; }
}

/// <summary>One match of a <c>tcp[]</c> rule (Istio L4MatchAttributes): every condition given must hold.</summary>
public sealed record L4Match
{
    /// <summary>The listener port the connection arrived on.</summary>
    [Parsing.Port]
    public int? Port { get; init; }

    /// <summary>The client's address must be in this network (CIDR, e.g. <c>10.0.0.0/8</c>, or one address).</summary>
    public string? SourceSubnet { get; init; }
}
