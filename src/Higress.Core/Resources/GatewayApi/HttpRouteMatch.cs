namespace Higress.Core.Resources;

/// <summary>An HTTPRoute match: every condition given must hold.</summary>
public sealed record HttpRouteMatch
{
    /// <summary>The path; default <c>PathPrefix /</c>.</summary>
    public HttpPathMatch Path { get; init; } = new();

    /// <summary>Header conditions.</summary>
    public EquatableArray<HttpHeaderMatch> Headers { get; init; }

    /// <summary>Query parameter conditions.</summary>
    public EquatableArray<HttpQueryParamMatch> QueryParams { get; init; }

    /// <summary>The method (GET, POST, ...).</summary>
    public string? Method { get; init; }
}
