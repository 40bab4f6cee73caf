using Higress.Core.Resources;

namespace Higress.Core.Plan;

/// <summary>One weighted backend of a forwarding rule.</summary>
/// <param name="ClusterId">The cluster to forward to, or null when the reference is invalid.</param>
/// <param name="Weight">Relative weight; 0 is never chosen.</param>
/// <param name="RequestHeaders">Request header edits for this backend.</param>
/// <param name="ResponseHeaders">Response header edits for this backend.</param>
/// <param name="Error">Why the backend is invalid (requests that pick it get 500), or null.</param>
public sealed record BackendPlan(string? ClusterId, int Weight, HeaderModifier RequestHeaders, HeaderModifier ResponseHeaders, string? Error = null)
{
    /// <summary>The backend's own rewrite (HTTPRoute <c>backendRefs[].filters</c> <c>URLRewrite</c>), applied instead of the rule's; null for the rule's.</summary>
    public UrlRewrite? Rewrite { get; init; }

    /// <summary>The redirect answered when this backend is chosen (<c>backendRefs[].filters</c> <c>RequestRedirect</c>), or null to forward.</summary>
    public RedirectAction? Redirect { get; init; }

    /// <summary>Mirrors applied, besides the rule's, when this backend is chosen (<c>backendRefs[].filters</c> <c>RequestMirror</c>).</summary>
    public EquatableArray<MirrorPlan> Mirrors { get; init; } = EquatableArray<MirrorPlan>.Empty;
}
