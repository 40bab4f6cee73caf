namespace Higress.Core.Resources;

/// <summary>Rewrites the request before forwarding (Istio <c>HTTPRewrite</c>).</summary>
public sealed record HttpRewrite
{
    /// <summary>Replaces the matched prefix (or the whole path for exact and regex matches) with this value.</summary>
    public string? Uri { get; init; }

    /// <summary>Replaces the Host/authority.</summary>
    public string? Authority { get; init; }
}
