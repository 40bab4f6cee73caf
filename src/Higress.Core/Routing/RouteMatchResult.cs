using System.Text.RegularExpressions;
using Higress.Core.Plan;

namespace Higress.Core.Routing;

/// <summary>
/// The outcome of matching: the rule, which of its matches applied, and on which listener.
/// Instances are built once per plan and shared by every request that takes the same path.
/// </summary>
public sealed class RouteMatchResult
{
    private readonly Regex? _pathRegex;
    private readonly ValueMatcher[] _headers;
    private readonly ValueMatcher[] _query;

    internal RouteMatchResult(RoutePlan route, int matchIndex, ListenerPlan listener, string? hostKey)
    {
        Route = route;
        MatchIndex = matchIndex;
        Match = route.Matches[matchIndex];
        Listener = listener;
        HostKey = hostKey;
        var path = Match.Path;
        PrefixLength = path.Kind == PathMatchKind.Prefix ? PathPrefix.Normalize(path.Value).Length : 0;
        if (path.Kind == PathMatchKind.Regex)
        {
            _pathRegex = RegexCache.Get(path.Value, path.IgnoreCase);
        }

        _headers = Match.Headers.Select(h => new ValueMatcher(h, ignoreCase: false)).ToArray();
        _query = Match.QueryParams.Select(q => new ValueMatcher(q, ignoreCase: false)).ToArray();
    }

    /// <summary>The matched rule.</summary>
    public RoutePlan Route { get; }

    /// <summary>The index of the match (within <see cref="RoutePlan.Matches"/>) that applied.</summary>
    public int MatchIndex { get; }

    /// <summary>The match that applied.</summary>
    public RouteMatch Match { get; }

    /// <summary>The listener the request arrived on.</summary>
    public ListenerPlan Listener { get; }

    /// <summary>The hostname key the rule was found under (null for any host).</summary>
    internal string? HostKey { get; }

    /// <summary>For a prefix match, the length of the matched prefix (without a trailing slash); else 0.</summary>
    internal int PrefixLength { get; }

    /// <summary>Global precedence rank; lower wins.</summary>
    internal int Rank { get; set; }

    internal bool IsRegex => _pathRegex is not null;

    /// <summary>Checks everything but the path (and the path too, for regex matches).</summary>
    internal bool Accepts<TRequest>(TRequest request, string path)
        where TRequest : IRouteRequest
    {
        if (Match.Method is { } method && !string.Equals(method, request.Method, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var header in _headers)
        {
            if (!header.Matches(request.TryGetHeader(header.Name, out var value), value))
            {
                return false;
            }
        }

        if (_query.Length > 0)
        {
            var query = request.QueryString;
            foreach (var param in _query)
            {
                var found = QueryStringReader.TryGetFirst(query, param.Name, out var value);
                if (!param.Matches(found, value))
                {
                    return false;
                }
            }
        }

        return _pathRegex is null || RegexCache.IsFullMatch(_pathRegex, path);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Route.Id} match[{MatchIndex}] on {Listener.Id}";
}
