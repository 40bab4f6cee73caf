using Higress.Core.Resources;

namespace Higress.Core.Plan;

/// <summary>One condition set of an L4 rule; every condition given must hold.</summary>
/// <param name="Port">The listener port, or null for any.</param>
/// <param name="SourceSubnet">The client address must be in this network (normalized CIDR, e.g. <c>10.0.0.0/8</c>), or null for any.</param>
/// <param name="SniHosts">The SNI names taken (exact or <c>*.x</c>); empty for any.</param>
public sealed record StreamMatch(int? Port, string? SourceSubnet, EquatableArray<string> SniHosts)
{
    /// <summary>Matches every connection.</summary>
    public static StreamMatch Any { get; } = new(null, null, EquatableArray<string>.Empty);
}
