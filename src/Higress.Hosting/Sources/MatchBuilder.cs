using Higress.Core.Resources;

namespace Higress.Hosting.Sources;

/// <summary>Builds one native match; every condition added must hold.</summary>
public sealed class MatchBuilder
{
    private RouteMatch _match = new();

    /// <summary>The path starts with <paramref name="prefix"/> (whole segments).</summary>
    /// <param name="prefix">The prefix.</param>
    public MatchBuilder PathPrefix(string prefix) => Set(_match with { Uri = StringMatch.ForPrefix(prefix) });

    /// <summary>The path equals <paramref name="path"/>.</summary>
    /// <param name="path">The path.</param>
    public MatchBuilder Path(string path) => Set(_match with { Uri = StringMatch.ForExact(path) });

    /// <summary>The path matches <paramref name="pattern"/>.</summary>
    /// <param name="pattern">A .NET regular expression.</param>
    public MatchBuilder PathRegex(string pattern) => Set(_match with { Uri = StringMatch.ForRegex(pattern) });

    /// <summary>Compare the path case-insensitively.</summary>
    public MatchBuilder IgnoreUriCase() => Set(_match with { IgnoreUriCase = true });

    /// <summary>The method is <paramref name="method"/>.</summary>
    /// <param name="method">GET, POST...</param>
    public MatchBuilder Method(string method) => Set(_match with { Method = StringMatch.ForExact(method) });

    /// <summary>Header <paramref name="name"/> matches <paramref name="match"/>.</summary>
    /// <param name="name">The header name.</param>
    /// <param name="match">The condition.</param>
    public MatchBuilder Header(string name, StringMatch match) => Set(_match with { Headers = new(_match.Headers.Append(KeyValuePair.Create(name, match))) });

    /// <summary>Header <paramref name="name"/> equals <paramref name="value"/>.</summary>
    /// <param name="name">The header name.</param>
    /// <param name="value">The value.</param>
    public MatchBuilder Header(string name, string value) => Header(name, StringMatch.ForExact(value));

    /// <summary>Query parameter <paramref name="name"/> matches <paramref name="match"/>.</summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="match">The condition.</param>
    public MatchBuilder Query(string name, StringMatch match) => Set(_match with { QueryParams = new(_match.QueryParams.Append(KeyValuePair.Create(name, match))) });

    /// <summary>Query parameter <paramref name="name"/> equals <paramref name="value"/>.</summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="value">The value.</param>
    public MatchBuilder Query(string name, string value) => Query(name, StringMatch.ForExact(value));

    internal RouteMatch Build() => _match;

    private MatchBuilder Set(RouteMatch match)
    {
        _match = match;
        return this;
    }
}
