namespace Higress.Core.Plan;

/// <summary>One weighted backend of an L4 rule.</summary>
/// <param name="ClusterId">The cluster, or null when the reference is invalid (a connection that picks it is closed).</param>
/// <param name="Weight">Relative weight; 0 is never chosen.</param>
/// <param name="Error">Why the backend is invalid, or null.</param>
public sealed record StreamBackend(string? ClusterId, int Weight, string? Error = null);
