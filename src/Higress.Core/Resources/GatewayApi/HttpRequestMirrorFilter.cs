using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>The RequestMirror filter.</summary>
public sealed record HttpRequestMirrorFilter
{
    /// <summary>Where requests are copied.</summary>
    [Required]
    public BackendRef BackendRef { get; init; } = new();

    /// <summary>The share of requests mirrored, 0..100; default all. At most one of <c>percent</c> and <c>fraction</c>.</summary>
    [Range(0, 100)]
    public int? Percent { get; init; }

    /// <summary>The share of requests mirrored as a fraction, e.g. <c>{numerator: 1, denominator: 1000}</c>.</summary>
    public MirrorFraction? Fraction { get; init; }
}

/// <summary>The Gateway API <c>Fraction</c>: <c>numerator / denominator</c> of the requests.</summary>
public sealed record MirrorFraction
{
    /// <summary>The share's numerator, not above the denominator.</summary>
    [Range(0, int.MaxValue)]
    public int Numerator { get; init; }

    /// <summary>The share's denominator.</summary>
    [Range(1, int.MaxValue)]
    public int Denominator { get; init; } = 100;
}
