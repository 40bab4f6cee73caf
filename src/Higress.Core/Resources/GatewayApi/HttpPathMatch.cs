namespace Higress.Core.Resources;

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
