using Higress.Opa.Syntax;
using Higress.Opa.Values;

namespace Higress.Opa.Compilation;

/// <summary>
/// An index over the definitions of a rule set on one ground equality of the input (e.g. <c>input.method == "GET"</c>):
/// evaluation looks the input value up and only runs the definitions that can match. Built only where it pays
/// (at least 8 definitions, most of them constrained by the same reference).
/// </summary>
internal sealed class RuleIndex
{
    private RuleIndex(RefTerm key, Dictionary<RegoValue, int[]> byValue, int[] unconstrained)
    {
        Key = key;
        ByValue = byValue;
        Unconstrained = unconstrained;
    }

    /// <summary>The indexed reference (ground: a path into input with constant segments).</summary>
    public RefTerm Key { get; }

    /// <summary>Definition indices (sorted) for each value, merged with the unconstrained ones.</summary>
    public Dictionary<RegoValue, int[]> ByValue { get; }

    /// <summary>Definitions that do not test the reference.</summary>
    public int[] Unconstrained { get; }

    public static RuleIndex? TryBuild(RuleSet rs)
    {
        if (rs.Defs.Count < 8 || rs.Kind == RuleKind.Function)
        {
            return null;
        }
        var perDef = new List<(string Path, RefTerm Ref, RegoValue Value)?>(rs.Defs.Count);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var d in rs.Defs)
        {
            var c = d.Else is null ? FindConstraint(d.Body) : null;
            perDef.Add(c);
            if (c is { } cc) counts[cc.Path] = counts.GetValueOrDefault(cc.Path) + 1;
        }
        if (counts.Count == 0)
        {
            return null;
        }
        var best = counts.MaxBy(kv => kv.Value);
        if (best.Value < rs.Defs.Count / 2)
        {
            return null;
        }
        RefTerm? key = null;
        var map = new Dictionary<RegoValue, List<int>>();
        var free = new List<int>();
        for (int i = 0; i < perDef.Count; i++)
        {
            if (perDef[i] is { } c && c.Path == best.Key)
            {
                key ??= c.Ref;
                if (!map.TryGetValue(c.Value, out var list)) map[c.Value] = list = [];
                list.Add(i);
            }
            else
            {
                free.Add(i);
            }
        }
        var merged = map.ToDictionary(kv => kv.Key, kv => kv.Value.Concat(free).Order().ToArray());
        return new RuleIndex(key!, merged, [.. free]);
    }

    private static (string Path, RefTerm Ref, RegoValue Value)? FindConstraint(Body body)
    {
        foreach (var e in body.Exprs)
        {
            if (e.Negated || e.Withs.Count > 0) continue;
            Term? a = null, b = null;
            if (e.Kind == ExprKind.Unify) { a = e.A; b = e.B; }
            else if (e.Kind == ExprKind.Term && e.A is CallTerm { Name: "equal", Args.Length: 2 } c) { a = c.Args[0]; b = c.Args[1]; }
            if (a is null || b is null) continue;
            if (b is RefTerm && a is ScalarTerm) (a, b) = (b, a);
            if (a is RefTerm r && b is ScalarTerm s && IsGroundInputRef(r))
            {
                return (string.Join(".", r.Path.Select(p => ((ScalarTerm)p).Value.ToString())), r, s.Value);
            }
        }
        return null;
    }

    private static bool IsGroundInputRef(RefTerm r)
    {
        if (r.Head is not VarTerm { Kind: VarKind.Input }) return false;
        foreach (var p in r.Path)
        {
            if (p is not ScalarTerm) return false;
        }
        return true;
    }
}
