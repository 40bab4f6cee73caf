namespace Higress.Core.Plan;

/// <summary>A header name and value.</summary>
/// <param name="Name">The header name.</param>
/// <param name="Value">The header value.</param>
public sealed record HeaderValue(string Name, string Value);
