using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>A percentage, 0..100 (Istio <c>Percent</c>: <c>{value: 5.0}</c>).</summary>
public sealed record Percent
{
    /// <summary>The percentage, 0..100.</summary>
    [Range(0, 100)]
    public double Value { get; init; }
}
