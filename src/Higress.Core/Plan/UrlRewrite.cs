namespace Higress.Core.Plan;

/// <summary>Upstream request rewrite.</summary>
/// <param name="Path">The path change, if any.</param>
/// <param name="Hostname">The new Host header, if any.</param>
public sealed record UrlRewrite(PathModifier? Path, string? Hostname);
