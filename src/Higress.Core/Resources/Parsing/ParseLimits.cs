namespace Higress.Core.Resources.Parsing;

/// <summary>
/// Bounds on what one document may cost to read, whatever its format. Sizes per file and per object are the
/// sources' business; these bound what a small text can expand to.
/// </summary>
internal static class ParseLimits
{
    /// <summary>
    /// Deepest nesting of mappings and sequences (objects and arrays) in one document. System.Text.Json's default;
    /// a Kubernetes-shaped object is rarely deeper than 15.
    /// </summary>
    public const int MaxDepth = 64;

    // go-yaml's alias limits, which the Kubernetes API server inherits through sigs.k8s.io/yaml: up to 400,000
    // nodes a document may be 99% alias expansion; from 4,000,000 nodes only 10%; linear in between.
    private const long RatioRangeLow = 400_000;
    private const long RatioRangeHigh = 4_000_000;
    private const long MinAliasedNodes = 100;
    private const long MinNodes = 1_000;

    /// <summary>The share of a document's <paramref name="nodes"/> that may come from alias expansion.</summary>
    public static double AllowedAliasRatio(long nodes) => nodes switch
    {
        <= RatioRangeLow => 0.99,
        >= RatioRangeHigh => 0.10,
        _ => 0.99 - (0.89 * (nodes - RatioRangeLow) / (RatioRangeHigh - RatioRangeLow)),
    };

    /// <summary>True when <paramref name="aliased"/> of <paramref name="nodes"/> nodes is more expansion than allowed.</summary>
    public static bool IsExcessiveAliasing(long nodes, long aliased) =>
        aliased > MinAliasedNodes && nodes > MinNodes && (double)aliased / nodes > AllowedAliasRatio(nodes);
}
