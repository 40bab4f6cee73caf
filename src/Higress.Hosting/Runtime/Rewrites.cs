using Higress.Core.Plan;
using Higress.Core.Routing;

namespace Higress.Hosting.Runtime;

/// <summary>Path changes shared by URL rewrites and redirects.</summary>
internal static class Rewrites
{
    public static string ApplyPath(string path, PathModifier modifier, RouteMatchResult match) => modifier.Kind switch
    {
        PathModifierKind.ReplaceFullPath => modifier.Value,
        PathModifierKind.ReplacePrefixMatch when match.Match.Path.Kind == PathMatchKind.Prefix => PathPrefix.Replace(path, match.PrefixLength, modifier.Value),
        _ => path,
    };
}
