using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>The RequestMirror filter.</summary>
public sealed record HttpRequestMirrorFilter
{
    /// <summary>Where requests are copied.</summary>
    [Required]
    public BackendRef BackendRef { get; init; } = new();

    /// <summary>The share of requests mirrored, 0..100; default all.</summary>
    [Range(0, 100)]
    public int? Percent { get; init; }
}
