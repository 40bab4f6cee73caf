namespace Higress.Core.Resources;

/// <summary>Header changes for the request and the response.</summary>
public sealed record HeaderOperations
{
    /// <summary>Changes to the request headers.</summary>
    public HeaderOperation? Request { get; init; }

    /// <summary>Changes to the response headers.</summary>
    public HeaderOperation? Response { get; init; }
}

/// <summary>Header changes: set (replace), add (append), remove.</summary>
public sealed record HeaderOperation
{
    /// <summary>Headers to set, replacing existing values.</summary>
    public EquatableMap<string> Set { get; init; }

    /// <summary>Headers to add, keeping existing values.</summary>
    public EquatableMap<string> Add { get; init; }

    /// <summary>Header names to remove.</summary>
    public EquatableArray<string> Remove { get; init; }
}
