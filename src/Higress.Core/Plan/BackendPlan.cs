namespace Higress.Core.Plan;

/// <summary>One weighted backend of a forwarding rule.</summary>
/// <param name="ClusterId">The cluster to forward to, or null when the reference is invalid.</param>
/// <param name="Weight">Relative weight; 0 is never chosen.</param>
/// <param name="RequestHeaders">Request header edits for this backend.</param>
/// <param name="ResponseHeaders">Response header edits for this backend.</param>
/// <param name="Error">Why the backend is invalid (requests that pick it get 500), or null.</param>
public sealed record BackendPlan(string? ClusterId, int Weight, HeaderModifier RequestHeaders, HeaderModifier ResponseHeaders, string? Error = null);
