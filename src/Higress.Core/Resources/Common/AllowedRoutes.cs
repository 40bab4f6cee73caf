namespace Higress.Core.Resources;

/// <summary>Which routes may attach to a listener (Gateway API <c>allowedRoutes</c>; native listeners use it too).</summary>
public sealed record AllowedRoutes
{
    /// <summary>Which namespaces' routes may attach; default <c>from: Same</c>.</summary>
    public RouteNamespaces Namespaces { get; init; } = new();

    /// <summary>Which route kinds may attach; empty = the kinds matching the listener protocol.</summary>
    public EquatableArray<RouteGroupKind> Kinds { get; init; }
}

/// <summary>The namespaces whose routes may attach.</summary>
public sealed record RouteNamespaces
{
    /// <summary>Same (default) | All | Selector.</summary>
    public FromNamespaces From { get; init; } = FromNamespaces.Same;

    /// <summary>The namespace label selector, used with <c>from: Selector</c>.</summary>
    public LabelSelector? Selector { get; init; }
}

/// <summary>Which namespaces may attach routes to a listener.</summary>
public enum FromNamespaces
{
    /// <summary>Only the gateway's own namespace.</summary>
    Same,

    /// <summary>Every namespace.</summary>
    All,

    /// <summary>Namespaces whose labels match the selector.</summary>
    Selector,
}
