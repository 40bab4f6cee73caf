using Higress.Core.Resources;

namespace Higress.Core.Plan;

/// <summary>
/// A forwarding rule's canary (Higress's <c>canary-*</c> annotations, with ingress-nginx's semantics): the request goes
/// to <see cref="Backends"/> instead of the rule's own backends when the header, else the cookie, else the weight says so.
/// </summary>
/// <param name="Backends">The canary backends, chosen by weight among themselves.</param>
public sealed record CanaryPlan(EquatableArray<BackendPlan> Backends)
{
    /// <summary>The header that decides (<c>canary-by-header</c>), or null.</summary>
    public string? Header { get; init; }

    /// <summary>The header value that selects the canary (<c>canary-by-header-value</c>), or null for <c>always</c>/<c>never</c>.</summary>
    public string? HeaderValue { get; init; }

    /// <summary>A regular expression the whole header value must match (<c>canary-by-header-pattern</c>), or null.</summary>
    public string? HeaderPattern { get; init; }

    /// <summary>The cookie that decides with <c>always</c>/<c>never</c> (<c>canary-by-cookie</c>), or null.</summary>
    public string? Cookie { get; init; }

    /// <summary>The share of the remaining requests sent to the canary, out of <see cref="WeightTotal"/> (<c>canary-weight</c>).</summary>
    public int Weight { get; init; }

    /// <summary>The total <see cref="Weight"/> is a share of (<c>canary-weight-total</c>, default 100).</summary>
    public int WeightTotal { get; init; } = 100;
}
