using Higress.Core.Plan;

namespace Higress.Core.Routing;

/// <summary>
/// The Gateway API's precedence between two matches (hostname precedence is applied before this, by bucket):
/// exact path; longer prefix (regexes rank with prefixes by pattern length, a prefix first on a tie); a method;
/// more header matches; more query matches; the older object (creation time, else read order); namespace/name;
/// the earlier rule; the earlier match.
/// </summary>
internal static class MatchPrecedence
{
    /// <summary>Negative when match <paramref name="ai"/> of <paramref name="a"/> takes precedence.</summary>
    public static int Compare(RoutePlan a, int ai, RoutePlan b, int bi)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var ma = a.Matches[ai];
        var mb = b.Matches[bi];
        var c = IsExact(ma).CompareTo(IsExact(mb)) * -1;
        if (c != 0)
        {
            return c;
        }

        c = PathLength(mb).CompareTo(PathLength(ma));
        if (c != 0)
        {
            return c;
        }

        c = (ma.Path.Kind == PathMatchKind.Regex).CompareTo(mb.Path.Kind == PathMatchKind.Regex);
        if (c != 0)
        {
            return c;
        }

        c = (mb.Method is not null).CompareTo(ma.Method is not null);
        if (c != 0)
        {
            return c;
        }

        c = mb.Headers.Count.CompareTo(ma.Headers.Count);
        if (c != 0)
        {
            return c;
        }

        c = mb.QueryParams.Count.CompareTo(ma.QueryParams.Count);
        if (c != 0)
        {
            return c;
        }

        c = CompareAge(a.Order, b.Order);
        if (c != 0)
        {
            return c;
        }

        c = string.CompareOrdinal(a.Source.Namespace, b.Source.Namespace);
        if (c != 0)
        {
            return c;
        }

        c = string.CompareOrdinal(a.Source.Name, b.Source.Name);
        if (c != 0)
        {
            return c;
        }

        c = string.CompareOrdinal(a.Source.Kind.Kind, b.Source.Kind.Kind);
        if (c != 0)
        {
            return c;
        }

        c = string.CompareOrdinal(a.Source.Kind.Group, b.Source.Kind.Group);
        if (c != 0)
        {
            return c;
        }

        c = a.Order.RuleIndex.CompareTo(b.Order.RuleIndex);
        return c != 0 ? c : ai.CompareTo(bi);
    }

    private static bool IsExact(RouteMatch m) => m.Path.Kind == PathMatchKind.Exact;

    private static int PathLength(RouteMatch m) => m.Path.Kind switch
    {
        PathMatchKind.Prefix => PathPrefix.Normalize(m.Path.Value).Length,
        PathMatchKind.Regex => m.Path.Value.Length,
        _ => m.Path.Value.Length,
    };

    private static int CompareAge(RouteOrder a, RouteOrder b)
    {
        if (a.CreationTimestamp is { } ta && b.CreationTimestamp is { } tb)
        {
            return ta.CompareTo(tb);
        }

        if (a.CreationTimestamp is not null || b.CreationTimestamp is not null)
        {
            // An object with a timestamp comes from a cluster and predates anything read from files since.
            return a.CreationTimestamp is not null ? -1 : 1;
        }

        return a.ReadOrder.CompareTo(b.ReadOrder);
    }
}
