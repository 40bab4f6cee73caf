using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>
/// A canary for a native rule, after Higress's <c>higress.io/canary-*</c> annotations (ingress-nginx semantics): the
/// request goes to <see cref="Route"/> instead of the rule's <c>route</c> when the header decides, else the cookie,
/// else the weight.
/// </summary>
public sealed record RouteCanary
{
    /// <summary>The canary's weighted destinations (the rule's <c>route</c> shape).</summary>
    public EquatableArray<RouteDestination> Route { get; init; }

    /// <summary>
    /// <c>canary-by-header</c>: the header that decides. Its value <c>always</c> selects the canary, <c>never</c> the
    /// rule's route; any other value leaves the decision to the cookie and the weight.
    /// </summary>
    public string? ByHeader { get; init; }

    /// <summary><c>canary-by-header-value</c>: the value of <see cref="ByHeader"/> that selects the canary (replaces always/never).</summary>
    public string? ByHeaderValue { get; init; }

    /// <summary><c>canary-by-header-pattern</c>: a regular expression the whole value of <see cref="ByHeader"/> must match.</summary>
    public string? ByHeaderPattern { get; init; }

    /// <summary><c>canary-by-cookie</c>: the cookie that decides; <c>always</c> selects the canary, <c>never</c> the rule's route.</summary>
    public string? ByCookie { get; init; }

    /// <summary><c>canary-weight</c>: the share of the remaining requests sent to the canary, out of <see cref="WeightTotal"/>.</summary>
    [Range(0, int.MaxValue)]
    public int? Weight { get; init; }

    /// <summary><c>canary-weight-total</c>: what <see cref="Weight"/> is a share of; default 100.</summary>
    [Range(1, int.MaxValue)]
    public int? WeightTotal { get; init; }
}
