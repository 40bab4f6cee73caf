using Higress.Core.Routing;

namespace Higress.Core.Translation;

/// <summary>Hostname intersection between listeners and routes, as the Gateway API defines it.</summary>
internal static class Hostnames
{
    /// <summary>
    /// The hostnames a route serves on a listener. Empty result with <paramref name="matched"/> true means any host.
    /// <paramref name="matched"/> false means no hostname intersects (the route does not attach to that listener).
    /// </summary>
    public static IReadOnlyList<string> Intersect(IReadOnlyList<string> listener, IReadOnlyList<string> route, out bool matched)
    {
        var listenerAny = listener.Count == 0 || listener.Contains("*");
        var routeAny = route.Count == 0 || route.Contains("*");
        if (listenerAny && routeAny)
        {
            matched = true;
            return [];
        }

        if (listenerAny)
        {
            matched = true;
            return route.Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        }

        if (routeAny)
        {
            matched = true;
            return listener.Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        }

        var result = new List<string>();
        foreach (var l in listener)
        {
            foreach (var r in route)
            {
                if (IntersectOne(l, r) is { } common && !result.Contains(common, StringComparer.OrdinalIgnoreCase))
                {
                    result.Add(common);
                }
            }
        }

        matched = result.Count > 0;
        return result;
    }

    /// <summary>The more specific of two hostnames when one covers the other, else null.</summary>
    public static string? IntersectOne(string a, string b) => HostnamePattern.Matches(a, b) ? b : HostnamePattern.Covers(b, a) ? a : null;
}
