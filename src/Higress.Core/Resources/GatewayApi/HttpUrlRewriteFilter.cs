namespace Higress.Core.Resources;

/// <summary>The URLRewrite filter.</summary>
public sealed record HttpUrlRewriteFilter
{
    /// <summary>The new host.</summary>
    public string? Hostname { get; init; }

    /// <summary>The new path.</summary>
    public HttpPathModifier? Path { get; init; }
}
