using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>An Istio string match: exactly one of <c>exact</c>, <c>prefix</c>, <c>regex</c> (or, for headers, <c>present</c>).</summary>
public sealed record StringMatch
{
    /// <summary>The value equals this string.</summary>
    public string? Exact { get; init; }

    /// <summary>The value starts with this string (paths: whole segments).</summary>
    public string? Prefix { get; init; }

    /// <summary>The value matches this .NET regular expression (whole value, with a match timeout).</summary>
    [RegexPattern]
    public string? Regex { get; init; }

    /// <summary>Header or query parameter is present (any value).</summary>
    public bool? Present { get; init; }

    /// <summary>An exact match.</summary>
    /// <param name="value">The value.</param>
    public static StringMatch ForExact(string value) => new() { Exact = value };

    /// <summary>A prefix match.</summary>
    /// <param name="value">The prefix.</param>
    public static StringMatch ForPrefix(string value) => new() { Prefix = value };

    /// <summary>A regex match.</summary>
    /// <param name="pattern">The pattern.</param>
    public static StringMatch ForRegex(string pattern) => new() { Regex = pattern };
}
