using Higress.Opa.Syntax;

namespace Higress.Opa.Compilation;

/// <summary>Detects recursion between rules and functions (OPA's rego_recursion_error).</summary>
internal sealed class RecursionChecker(DataNode root)
{
    private readonly Dictionary<RuleSet, List<RuleSet>> _edges = [];

    private List<RuleSet> _sets = [];

    public void Check()
    {
        var sets = root.AllRuleSets().ToList();
        _sets = sets;
        foreach (var rs in sets)
        {
            var deps = new HashSet<RuleSet>();
            foreach (var d in rs.Defs.Append(rs.Default))
            {
                for (var x = d; x is not null; x = x.Else)
                {
                    foreach (var e in x.Body.Exprs) VisitExpr(e, deps);
                    foreach (var t in new[] { x.Key, x.Value }.Concat(x.Suffix).Concat(x.Args ?? []))
                    {
                        if (t is not null) VisitTerm(t, deps);
                    }
                }
            }
            _edges[rs] = [.. deps];
        }
        var state = new Dictionary<RuleSet, int>();
        var stack = new List<RuleSet>();
        foreach (var rs in sets)
        {
            Dfs(rs, state, stack);
        }
    }

    private void Dfs(RuleSet rs, Dictionary<RuleSet, int> state, List<RuleSet> stack)
    {
        if (state.TryGetValue(rs, out int s))
        {
            if (s == 1)
            {
                int i = stack.IndexOf(rs);
                var cycle = stack.Skip(i).Append(rs).Select(r => r.DisplayName);
                var loc = (rs.Defs.FirstOrDefault() ?? rs.Default)?.Loc;
                throw new RegoException(RegoErrorCodes.RecursionError, $"rule {rs.DisplayName} is recursive: {string.Join(" -> ", cycle)}", loc);
            }
            return;
        }
        state[rs] = 1;
        stack.Add(rs);
        foreach (var d in _edges[rs])
        {
            Dfs(d, state, stack);
        }
        stack.RemoveAt(stack.Count - 1);
        state[rs] = 2;
    }

    private static bool Matches(string[] path, List<string?> segs)
    {
        int n = Math.Min(path.Length, segs.Count);
        for (int i = 0; i < n; i++)
        {
            if (segs[i] is { } c && !string.Equals(c, path[i], StringComparison.Ordinal)) return false;
        }
        return true;
    }

    private static void VisitExpr(Expr e, HashSet<RuleSet> deps)
    {
        foreach (var t in new[] { e.A, e.B, e.C })
        {
            if (t is not null) VisitTerm(t, deps);
        }
        foreach (var w in e.Withs)
        {
            VisitTerm(w.Value, deps);
        }
        if (e.Body is not null)
        {
            foreach (var x in e.Body.Exprs) VisitExpr(x, deps);
        }
    }

    private static void VisitTerm(Term t, HashSet<RuleSet> deps)
    {
        switch (t)
        {
            case RefTerm r:
                if (r.StartNode is { } node)
                {
                    if (node.Rules is not null)
                    {
                        deps.Add(node.Rules);
                    }
                    else if (r.PathStart >= r.Path.Length || r.Path[r.PathStart] is not ScalarTerm)
                    {
                        // a dynamic reference depends on the rules whose path matches its constant segments
                        var segs = new List<string?>(node.Path);
                        for (int i = r.PathStart; i < r.Path.Length; i++)
                        {
                            segs.Add(r.Path[i] is ScalarTerm { Value: Values.RegoString s } ? s.Value : null);
                        }
                        foreach (var rs in node.AllRuleSets())
                        {
                            if (Matches(rs.Path, segs)) deps.Add(rs);
                        }
                    }
                }
                VisitTerm(r.Head, deps);
                foreach (var p in r.Path) VisitTerm(p, deps);
                break;
            case CallTerm c:
                if (c.Function is RuleSet f) deps.Add(f);
                foreach (var a in c.Args) VisitTerm(a, deps);
                break;
            case ArrayTerm a:
                foreach (var i in a.Items) VisitTerm(i, deps);
                break;
            case SetTerm s:
                foreach (var i in s.Items) VisitTerm(i, deps);
                break;
            case ObjectTerm o:
                foreach (var (k, v) in o.Pairs)
                {
                    VisitTerm(k, deps);
                    VisitTerm(v, deps);
                }
                break;
            case ComprehensionTerm c:
                foreach (var e in c.Body.Exprs) VisitExpr(e, deps);
                if (c.Key is not null) VisitTerm(c.Key, deps);
                VisitTerm(c.Value, deps);
                break;
        }
    }
}
