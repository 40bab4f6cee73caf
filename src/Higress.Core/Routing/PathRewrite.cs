using Higress.Core.Plan;

namespace Higress.Core.Routing;

/// <summary>The Gateway API's path change, shared by URL rewrites and redirects.</summary>
internal static class PathRewrite
{
    /// <summary>Applies a path change: full replacement, or replacement of the matched prefix (a full replacement for non-prefix matches).</summary>
    /// <param name="path">The decoded request path.</param>
    /// <param name="modifier">The change.</param>
    /// <param name="match">The match that selected the rule (its prefix is what gets replaced).</param>
    public static string Apply(string path, PathModifier modifier, RouteMatchResult match)
    {
        ArgumentNullException.ThrowIfNull(modifier);
        ArgumentNullException.ThrowIfNull(match);
        return modifier.Kind == PathModifierKind.ReplacePrefixMatch && match.Match.Path.Kind == PathMatchKind.Prefix
            ? PathPrefix.Replace(path, match.PrefixLength, modifier.Value)
            : modifier.Value;
    }
}
