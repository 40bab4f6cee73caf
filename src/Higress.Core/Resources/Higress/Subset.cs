using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>A named subset of a service's endpoints (Istio DestinationRule <c>Subset</c>).</summary>
public sealed record Subset
{
    /// <summary>The subset name, as in <c>destination.subset</c>.</summary>
    [Required]
    public string Name { get; init; } = string.Empty;

    /// <summary>Endpoints with all these labels belong to the subset.</summary>
    public EquatableMap<string> Labels { get; init; }

    /// <summary>A policy overriding the service's for this subset.</summary>
    public TrafficPolicy? TrafficPolicy { get; init; }
}
