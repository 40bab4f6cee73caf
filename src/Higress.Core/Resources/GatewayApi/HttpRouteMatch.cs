using Higress.Core.Resources.Parsing;

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

/// <summary>An HTTPRoute path match.</summary>
public sealed record HttpPathMatch
{
    /// <summary>Exact | PathPrefix (default) | RegularExpression.</summary>
    public PathMatchType Type { get; init; } = PathMatchType.PathPrefix;

    /// <summary>The path or pattern; default <c>/</c>.</summary>
    public string Value { get; init; } = "/";
}

/// <summary>How an HTTPRoute path matches.</summary>
public enum PathMatchType
{
    /// <summary>The whole path.</summary>
    Exact,

    /// <summary>A prefix of whole segments.</summary>
    PathPrefix,

    /// <summary>A regular expression.</summary>
    RegularExpression,
}

/// <summary>How a header, query parameter or gRPC method matches.</summary>
public enum ValueMatchType
{
    /// <summary>Equal values.</summary>
    Exact,

    /// <summary>A regular expression.</summary>
    RegularExpression,
}

/// <summary>An HTTPRoute header match (names compare case-insensitively).</summary>
public sealed record HttpHeaderMatch
{
    /// <summary>Exact (default) | RegularExpression.</summary>
    public ValueMatchType Type { get; init; } = ValueMatchType.Exact;

    /// <summary>The header name.</summary>
    [Required]
    public string Name { get; init; } = string.Empty;

    /// <summary>The value or pattern.</summary>
    [Required]
    public string Value { get; init; } = string.Empty;
}

/// <summary>An HTTPRoute query parameter match (names compare exactly).</summary>
public sealed record HttpQueryParamMatch
{
    /// <summary>Exact (default) | RegularExpression.</summary>
    public ValueMatchType Type { get; init; } = ValueMatchType.Exact;

    /// <summary>The parameter name.</summary>
    [Required]
    public string Name { get; init; } = string.Empty;

    /// <summary>The value or pattern.</summary>
    [Required]
    public string Value { get; init; } = string.Empty;
}
