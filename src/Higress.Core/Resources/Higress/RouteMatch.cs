namespace Higress.Core.Resources;

/// <summary>One match of a native rule: every condition given must hold.</summary>
public sealed record RouteMatch
{
    /// <summary>An optional name for the match.</summary>
    public string? Name { get; init; }

    /// <summary>The path: exact | prefix (whole segments) | regex.</summary>
    public StringMatch? Uri { get; init; }

    /// <summary>The HTTP method.</summary>
    public StringMatch? Method { get; init; }

    /// <summary>The authority (Host header), beyond the route's <c>hosts</c>.</summary>
    public StringMatch? Authority { get; init; }

    /// <summary>Header conditions by header name (exact | prefix | regex | present).</summary>
    public EquatableMap<StringMatch> Headers { get; init; }

    /// <summary>Query parameter conditions by parameter name.</summary>
    public EquatableMap<StringMatch> QueryParams { get; init; }

    /// <summary>Compare the path case-insensitively.</summary>
    public bool IgnoreUriCase { get; init; }
}
