namespace Higress.Core.Resources;

/// <summary>An HTTPRoute rule.</summary>
public sealed record HttpRouteRule
{
    private static readonly EquatableArray<HttpRouteMatch> DefaultMatches = [new HttpRouteMatch()];
    private readonly EquatableArray<HttpRouteMatch> _matches;

    /// <summary>The rule's name (optional).</summary>
    public string? Name { get; init; }

    /// <summary>Matches, OR'ed; none (or empty) = one match of <c>PathPrefix /</c>.</summary>
    public EquatableArray<HttpRouteMatch> Matches
    {
        get => _matches.IsEmpty ? DefaultMatches : _matches;
        init => _matches = value;
    }

    /// <summary>Filters applied to matching requests.</summary>
    public EquatableArray<HttpRouteFilter> Filters { get; init; }

    /// <summary>Weighted backends.</summary>
    public EquatableArray<BackendRef> BackendRefs { get; init; }

    /// <summary>Timeouts.</summary>
    public HttpRouteTimeouts? Timeouts { get; init; }
}

/// <summary>HTTPRoute rule timeouts.</summary>
public sealed record HttpRouteTimeouts
{
    /// <summary>The whole request, including retries.</summary>
    public TimeSpan? Request { get; init; }

    /// <summary>One request to a backend.</summary>
    public TimeSpan? BackendRequest { get; init; }
}
