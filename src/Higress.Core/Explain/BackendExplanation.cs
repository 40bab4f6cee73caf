namespace Higress.Core.Explain;

/// <summary>One backend of the matched rule, with its share of the traffic.</summary>
/// <param name="ClusterId">The cluster, or null when the reference is invalid.</param>
/// <param name="Weight">The configured weight.</param>
/// <param name="Share">The fraction of requests it receives (0 to 1).</param>
/// <param name="Destinations">The cluster's endpoint addresses.</param>
/// <param name="Error">Why the backend is invalid, or null.</param>
public sealed record BackendExplanation(string? ClusterId, int Weight, double Share, IReadOnlyList<string> Destinations, string? Error);
