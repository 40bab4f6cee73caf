using Higress.Core.Resources;

namespace Higress.Core.Plan;

/// <summary>One match of a rule: every condition must hold.</summary>
/// <param name="Path">The path condition.</param>
/// <param name="Method">The HTTP method, or null for any.</param>
/// <param name="Headers">Header conditions.</param>
/// <param name="QueryParams">Query parameter conditions.</param>
public sealed record RouteMatch(
    PathMatch Path,
    string? Method,
    EquatableArray<NamedValueMatch> Headers,
    EquatableArray<NamedValueMatch> QueryParams)
{
    /// <summary>Matches every request.</summary>
    public static RouteMatch Any { get; } = new(PathMatch.Any, null, EquatableArray<NamedValueMatch>.Empty, EquatableArray<NamedValueMatch>.Empty);
}
