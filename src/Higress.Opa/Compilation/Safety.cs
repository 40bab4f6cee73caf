using Higress.Opa.Syntax;

namespace Higress.Opa.Compilation;

/// <summary>Safety check: reorders body expressions so every variable is bound before it is needed; reports unsafe variables.</summary>
internal static class Safety
{
    private enum Mode { Eval, Pattern, RefPath }

    /// <summary>When set, variables that comprehensions share with the body do not block an expression (OPA treats them as local then).</summary>
    [ThreadStatic]
    private static bool t_skipClosures;

    public static void CheckRule(RuleDef def)
    {
        var bound = new HashSet<int>();
        if (def.Args is not null)
        {
            foreach (var a in def.Args) CollectBinds(a, bound);
        }
        for (var d = def; d is not null; d = d.Else)
        {
            var b = new HashSet<int>(bound);
            Reorder(d.Body, b);
            if (d.Key is not null) CheckHead(d.Key, b);
            if (d.Value is not null) CheckHead(d.Value, b);
            foreach (var s in d.Suffix) CheckHead(s, b);
        }
    }

    public static void CheckQuery(Body body) => Reorder(body, []);

    private static void CollectBinds(Term t, HashSet<int> set)
    {
        var needs = new HashSet<int>();
        Collect(t, Mode.Pattern, needs, set);
        set.UnionWith(needs);
    }

    private static void CheckHead(Term t, HashSet<int> bound)
    {
        var needs = new HashSet<int>();
        var binds = new HashSet<int>();
        Collect(t, Mode.Eval, needs, binds);
        needs.UnionWith(binds);
        needs.ExceptWith(bound);
        if (needs.Count > 0)
        {
            throw Unsafe(t, needs);
        }
        ProcessNested(t, bound);
    }

    private static RegoException Unsafe(Term t, HashSet<int> unsafeSlots)
    {
        var v = FindVar(t, unsafeSlots);
        return new RegoException(RegoErrorCodes.UnsafeVarError, $"var {v?.Name ?? "?"} is unsafe", v?.Loc ?? t.Loc);
    }

    private static VarTerm? FindVar(Term t, HashSet<int> slots)
    {
        switch (t)
        {
            case VarTerm v when v.Kind == VarKind.Local && slots.Contains(v.Slot):
                return v;
            case RefTerm r:
                return FindVar(r.Head, slots) ?? r.Path.Select(p => FindVar(p, slots)).FirstOrDefault(x => x is not null);
            case CallTerm c:
                return c.Args.Select(p => FindVar(p, slots)).FirstOrDefault(x => x is not null);
            case ArrayTerm a:
                return a.Items.Select(p => FindVar(p, slots)).FirstOrDefault(x => x is not null);
            case SetTerm s:
                return s.Items.Select(p => FindVar(p, slots)).FirstOrDefault(x => x is not null);
            case ObjectTerm o:
                return o.Pairs.Select(p => FindVar(p.Key, slots) ?? FindVar(p.Value, slots)).FirstOrDefault(x => x is not null);
            case ComprehensionTerm c:
                foreach (var e in c.Body.Exprs)
                {
                    var r = FindVarExpr(e, slots);
                    if (r is not null) return r;
                }
                return null;
            default:
                return null;
        }
    }

    private static VarTerm? FindVarExpr(Expr e, HashSet<int> slots)
    {
        foreach (var t in new[] { e.A, e.B, e.C })
        {
            if (t is null) continue;
            var r = FindVar(t, slots);
            if (r is not null) return r;
        }
        foreach (var w in e.Withs)
        {
            var r = FindVar(w.Value, slots);
            if (r is not null) return r;
        }
        if (e.Body is not null)
        {
            foreach (var x in e.Body.Exprs)
            {
                var r = FindVarExpr(x, slots);
                if (r is not null) return r;
            }
        }
        return null;
    }

    private static void Collect(Term t, Mode mode, HashSet<int> needs, HashSet<int> binds)
    {
        switch (t)
        {
            case VarTerm v:
                if (v.Kind == VarKind.Local)
                {
                    (mode == Mode.Eval ? needs : binds).Add(v.Slot);
                }
                break;
            case RefTerm r:
                Collect(r.Head, Mode.Eval, needs, binds);
                foreach (var p in r.Path)
                {
                    Collect(p, p is VarTerm or ArrayTerm or ObjectTerm ? Mode.RefPath : Mode.Eval, needs, binds);
                }
                break;
            case CallTerm c:
                foreach (var a in c.Args) Collect(a, Mode.Eval, needs, binds);
                break;
            case ArrayTerm a:
                foreach (var i in a.Items) Collect(i, mode, needs, binds);
                break;
            case SetTerm s:
                foreach (var i in s.Items) Collect(i, Mode.Eval, needs, binds);
                break;
            case ObjectTerm o:
                foreach (var (k, v) in o.Pairs)
                {
                    Collect(k, Mode.Eval, needs, binds);
                    Collect(v, mode, needs, binds);
                }
                break;
            case ComprehensionTerm c:
                if (!t_skipClosures)
                {
                    needs.UnionWith(FreeSlots(c.Body, c.LocalSlots, c.Key, c.Value));
                }
                break;
        }
    }

    private static HashSet<int> FreeSlots(Body body, HashSet<int> local, params Term?[] extra)
    {
        var used = new HashSet<int>();
        var declared = new HashSet<int>(local);
        foreach (var e in body.Exprs) UsedInExpr(e, used, declared);
        foreach (var t in extra)
        {
            if (t is not null) UsedInTerm(t, used, declared);
        }
        used.ExceptWith(declared);
        return used;
    }

    private static void UsedInExpr(Expr e, HashSet<int> used, HashSet<int> declared)
    {
        foreach (var t in new[] { e.A, e.B, e.C })
        {
            if (t is not null) UsedInTerm(t, used, declared);
        }
        foreach (var w in e.Withs) UsedInTerm(w.Value, used, declared);
        if (e.Body is not null)
        {
            declared.UnionWith(e.LocalSlots);
            foreach (var x in e.Body.Exprs) UsedInExpr(x, used, declared);
        }
    }

    private static void UsedInTerm(Term t, HashSet<int> used, HashSet<int> declared)
    {
        switch (t)
        {
            case VarTerm { Kind: VarKind.Local } v: used.Add(v.Slot); break;
            case RefTerm r:
                UsedInTerm(r.Head, used, declared);
                foreach (var p in r.Path) UsedInTerm(p, used, declared);
                break;
            case CallTerm c:
                foreach (var a in c.Args) UsedInTerm(a, used, declared);
                break;
            case ArrayTerm a:
                foreach (var i in a.Items) UsedInTerm(i, used, declared);
                break;
            case SetTerm s:
                foreach (var i in s.Items) UsedInTerm(i, used, declared);
                break;
            case ObjectTerm o:
                foreach (var (k, v) in o.Pairs)
                {
                    UsedInTerm(k, used, declared);
                    UsedInTerm(v, used, declared);
                }
                break;
            case ComprehensionTerm c:
                declared.UnionWith(c.LocalSlots);
                foreach (var e in c.Body.Exprs) UsedInExpr(e, used, declared);
                if (c.Key is not null) UsedInTerm(c.Key, used, declared);
                UsedInTerm(c.Value, used, declared);
                break;
        }
    }

    private static bool PatternGround(Term t, HashSet<int> bound)
    {
        var needs = new HashSet<int>();
        var binds = new HashSet<int>();
        Collect(t, Mode.Pattern, needs, binds);
        // ref-path variables enumerate, so only direct pattern variables matter
        var direct = new HashSet<int>();
        DirectPatternVars(t, direct);
        return direct.IsSubsetOf(bound);
    }

    private static void DirectPatternVars(Term t, HashSet<int> set)
    {
        switch (t)
        {
            case VarTerm { Kind: VarKind.Local } v: set.Add(v.Slot); break;
            case ArrayTerm a:
                foreach (var i in a.Items) DirectPatternVars(i, set);
                break;
            case ObjectTerm o:
                foreach (var (_, v) in o.Pairs) DirectPatternVars(v, set);
                break;
        }
    }

    private static bool UnifyReady(Term a, Term b, HashSet<int> bound)
    {
        if (PatternGround(a, bound) || PatternGround(b, bound)) return true;
        if (a is ArrayTerm x && b is ArrayTerm y && x.Items.Length == y.Items.Length)
        {
            var tmp = new HashSet<int>(bound);
            for (int i = 0; i < x.Items.Length; i++)
            {
                if (!UnifyReady(x.Items[i], y.Items[i], tmp)) return false;
                DirectPatternVars(x.Items[i], tmp);
                DirectPatternVars(y.Items[i], tmp);
            }
            return true;
        }
        if (a is ObjectTerm ox && b is ObjectTerm oy && ox.Pairs.Length == oy.Pairs.Length)
        {
            foreach (var (k, v) in ox.Pairs)
            {
                var match = oy.Pairs.FirstOrDefault(p => p.Key is ScalarTerm s1 && k is ScalarTerm s2 && s1.Value.Equals(s2.Value));
                if (match.Value is null || !UnifyReady(v, match.Value, bound)) return false;
            }
            return true;
        }
        return false;
    }

    private static void Analyze(Expr e, out HashSet<int> needs, out HashSet<int> binds)
    {
        needs = [];
        binds = [];
        switch (e.Kind)
        {
            case ExprKind.Term:
                Collect(e.A!, Mode.Eval, needs, binds);
                // variables bound by iterating a reference may be used elsewhere in the same expression
                needs.ExceptWith(binds);
                break;
            case ExprKind.Unify:
            case ExprKind.Assign:
                Collect(e.A!, Mode.Pattern, needs, binds);
                Collect(e.B!, Mode.Pattern, needs, binds);
                break;
            case ExprKind.SomeIn:
                Collect(e.C!, Mode.Eval, needs, binds);
                if (e.A is not null) Collect(e.A, Mode.Pattern, needs, binds);
                Collect(e.B!, Mode.Pattern, needs, binds);
                break;
            case ExprKind.Every:
                Collect(e.C!, Mode.Eval, needs, binds);
                needs.UnionWith(FreeSlots(e.Body!, e.LocalSlots, e.A, e.B));
                break;
        }
        foreach (var w in e.Withs) Collect(w.Value, Mode.Eval, needs, binds);
        if (e.Negated)
        {
            needs.UnionWith(binds);
            binds.Clear();
        }
    }

    private static void Reorder(Body body, HashSet<int> bound)
    {
        var remaining = new List<Expr>(body.Exprs);
        var ordered = new List<Expr>(remaining.Count);
        while (remaining.Count > 0)
        {
            int pick = -1;
            HashSet<int>? pickBinds = null;
            for (int pass = 0; pass < 2 && pick < 0; pass++)
            {
                t_skipClosures = pass == 1;
                try
                {
                    for (int i = 0; i < remaining.Count; i++)
                    {
                        var e = remaining[i];
                        Analyze(e, out var needs, out var binds);
                        if (!needs.IsSubsetOf(bound)) continue;
                        if (!e.Negated && e.Kind is ExprKind.Unify or ExprKind.Assign && !UnifyReady(e.A!, e.B!, bound)) continue;
                        pick = i;
                        pickBinds = binds;
                        break;
                    }
                }
                finally
                {
                    t_skipClosures = false;
                }
            }
            if (pick < 0)
            {
                var e = remaining[0];
                Analyze(e, out var needs, out var binds);
                needs.UnionWith(binds);
                needs.ExceptWith(bound);
                var v = FindVarExpr(e, needs);
                throw new RegoException(RegoErrorCodes.UnsafeVarError, $"var {v?.Name ?? "?"} is unsafe", v?.Loc ?? e.Loc);
            }
            var chosen = remaining[pick];
            remaining.RemoveAt(pick);
            ProcessNestedExpr(chosen, bound);
            bound.UnionWith(pickBinds!);
            ordered.Add(chosen);
        }
        body.Exprs = ordered;
    }

    private static void ProcessNestedExpr(Expr e, HashSet<int> bound)
    {
        foreach (var t in new[] { e.A, e.B, e.C })
        {
            if (t is not null) ProcessNested(t, bound);
        }
        foreach (var w in e.Withs) ProcessNested(w.Value, bound);
        if (e.Kind == ExprKind.Every)
        {
            var b = new HashSet<int>(bound);
            if (e.A is not null) CollectBinds(e.A, b);
            CollectBinds(e.B!, b);
            Reorder(e.Body!, b);
        }
    }

    private static void ProcessNested(Term t, HashSet<int> bound)
    {
        switch (t)
        {
            case ComprehensionTerm c:
            {
                var b = new HashSet<int>(bound);
                Reorder(c.Body, b);
                if (c.Key is not null) CheckHead(c.Key, b);
                CheckHead(c.Value, b);
                break;
            }
            case RefTerm r:
                ProcessNested(r.Head, bound);
                foreach (var p in r.Path) ProcessNested(p, bound);
                break;
            case CallTerm c:
                foreach (var a in c.Args) ProcessNested(a, bound);
                break;
            case ArrayTerm a:
                foreach (var i in a.Items) ProcessNested(i, bound);
                break;
            case SetTerm s:
                foreach (var i in s.Items) ProcessNested(i, bound);
                break;
            case ObjectTerm o:
                foreach (var (k, v) in o.Pairs)
                {
                    ProcessNested(k, bound);
                    ProcessNested(v, bound);
                }
                break;
        }
    }
}
