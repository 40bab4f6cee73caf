namespace Higress.Core.Resources;

/// <summary>A native Route's <c>tls[]</c> rule (Istio TLSRoute): TLS streams on passthrough listeners, routed by SNI.</summary>
public sealed record TlsRule
{
    /// <summary>Conditions on the connection, OR'ed; at least one is required.</summary>
    public EquatableArray<TlsMatch> Match { get; init; }

    /// <summary>Weighted destinations; each connection goes to one of them.</summary>
    public EquatableArray<RouteDestination> Route { get; init; }
}

/// <summary>One match of a <c>tls[]</c> rule (Istio TLSMatchAttributes): every condition given must hold.</summary>
public sealed record TlsMatch
{
    /// <summary>The SNI names matched (<c>*.example.com</c> wildcards allowed); required.</summary>
    [Parsing.Hostname]
    public EquatableArray<string> SniHosts { get; init; }

    /// <summary>The listener port the connection arrived on.</summary>
    [Parsing.Port]
    public int? Port { get; init; }
}
