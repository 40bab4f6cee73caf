using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>Header changes: set, add, remove.</summary>
public sealed record HttpHeaderFilter
{
    /// <summary>Headers to set (replace).</summary>
    public EquatableArray<HttpHeader> Set { get; init; }

    /// <summary>Headers to add (append).</summary>
    public EquatableArray<HttpHeader> Add { get; init; }

    /// <summary>Header names to remove.</summary>
    public EquatableArray<string> Remove { get; init; }
}

/// <summary>A header name and value.</summary>
public sealed record HttpHeader
{
    /// <summary>The name.</summary>
    [Required]
    public string Name { get; init; } = string.Empty;

    /// <summary>The value.</summary>
    public string Value { get; init; } = string.Empty;
}
