using Higress.Core.Plan;

namespace Higress.Core.Routing;

/// <summary>
/// The rules of one (listener, hostname) bucket, indexed by path so that a request looks at a handful of candidates
/// whatever the number of routes: exact paths and segment prefixes by dictionary, regexes by a ranked list.
/// </summary>
internal sealed class PathIndex
{
    private readonly Dictionary<string, RouteMatchResult[]> _exact;
    private readonly Dictionary<string, RouteMatchResult[]> _exactIgnoreCase;
    private readonly Dictionary<string, RouteMatchResult[]> _prefix;
    private readonly Dictionary<string, RouteMatchResult[]> _prefixIgnoreCase;
    private readonly Dictionary<string, RouteMatchResult[]>.AlternateLookup<ReadOnlySpan<char>> _prefixLookup;
    private readonly Dictionary<string, RouteMatchResult[]>.AlternateLookup<ReadOnlySpan<char>> _prefixIgnoreCaseLookup;
    private readonly RouteMatchResult[] _regex;

    public PathIndex(IEnumerable<RouteMatchResult> entries)
    {
        var all = entries.OrderBy(e => e.Rank).ToArray();
        _exact = Group(all, PathMatchKind.Exact, ignoreCase: false, StringComparer.Ordinal);
        _exactIgnoreCase = Group(all, PathMatchKind.Exact, ignoreCase: true, StringComparer.OrdinalIgnoreCase);
        _prefix = Group(all, PathMatchKind.Prefix, ignoreCase: false, StringComparer.Ordinal);
        _prefixIgnoreCase = Group(all, PathMatchKind.Prefix, ignoreCase: true, StringComparer.OrdinalIgnoreCase);
        _prefixLookup = _prefix.GetAlternateLookup<ReadOnlySpan<char>>();
        _prefixIgnoreCaseLookup = _prefixIgnoreCase.GetAlternateLookup<ReadOnlySpan<char>>();
        _regex = all.Where(e => e.IsRegex).ToArray();
    }

    public RouteMatchResult? Match<TRequest>(TRequest request, string path)
        where TRequest : IRouteRequest
    {
        RouteMatchResult? best = null;
        if (_exact.Count > 0 && _exact.TryGetValue(path, out var list))
        {
            Scan(list, request, path, ref best);
        }

        if (_exactIgnoreCase.Count > 0 && _exactIgnoreCase.TryGetValue(path, out list))
        {
            Scan(list, request, path, ref best);
        }

        if (_prefix.Count > 0 || _prefixIgnoreCase.Count > 0)
        {
            // Walk the segment boundaries from the longest candidate prefix to the root.
            var span = path.AsSpan();
            var end = span.Length;
            while (end > 0)
            {
                var candidate = end == 1 ? "/".AsSpan() : span[..end];
                if (_prefix.Count > 0 && _prefixLookup.TryGetValue(candidate, out list))
                {
                    Scan(list, request, path, ref best);
                }

                if (_prefixIgnoreCase.Count > 0 && _prefixIgnoreCaseLookup.TryGetValue(candidate, out list))
                {
                    Scan(list, request, path, ref best);
                }

                if (end == 1)
                {
                    break;
                }

                var slash = span[..end].LastIndexOf('/');
                end = slash <= 0 ? 1 : slash;
            }
        }

        if (_regex.Length > 0)
        {
            Scan(_regex, request, path, ref best);
        }

        return best;
    }

    private static void Scan<TRequest>(RouteMatchResult[] list, TRequest request, string path, ref RouteMatchResult? best)
        where TRequest : IRouteRequest
    {
        foreach (var entry in list)
        {
            if (best is not null && entry.Rank >= best.Rank)
            {
                return;
            }

            if (entry.Accepts(request, path))
            {
                best = entry;
                return;
            }
        }
    }

    private static Dictionary<string, RouteMatchResult[]> Group(RouteMatchResult[] all, PathMatchKind kind, bool ignoreCase, StringComparer comparer) =>
        all.Where(e => e.Match.Path.Kind == kind && e.Match.Path.IgnoreCase == ignoreCase)
            .GroupBy(e => kind == PathMatchKind.Prefix ? PathPrefix.Normalize(e.Match.Path.Value) : e.Match.Path.Value, comparer)
            .ToDictionary(g => g.Key, g => g.OrderBy(e => e.Rank).ToArray(), comparer);
}
