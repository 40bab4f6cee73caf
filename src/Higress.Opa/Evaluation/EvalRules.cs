using Higress.Opa.Compilation;
using Higress.Opa.Syntax;
using Higress.Opa.Values;

namespace Higress.Opa.Evaluation;

internal sealed partial class Evaluator
{
    private RegoValue? EvalRuleSet(RuleSet rs)
    {
        if (_memo.TryGetValue(rs, out var memo))
        {
            return memo;
        }
        Enter(rs.Defs.Count > 0 ? rs.Defs[0].Loc : null);
        RegoValue? result;
        try
        {
            result = rs.Kind switch
            {
                RuleKind.Complete => EvalComplete(rs),
                RuleKind.MultiValue => EvalMultiValue(rs),
                RuleKind.PartialObject => EvalPartialObject(rs),
                _ => null,
            };
        }
        finally
        {
            Exit();
        }
        _memo[rs] = result;
        return result;
    }

    /// <summary>Evaluates a definition and its else chain; calls <paramref name="onValue"/> with each head value of the first body that succeeds.</summary>
    private bool EvalChain(RuleDef def, RegoValue?[] s, ValueCont onValue)
    {
        for (var d = def; d is not null; d = d.Else)
        {
            bool any = false;
            var cur = d;
            bool stop = EvalBody(cur.Body.Exprs, 0, s, () =>
            {
                any = true;
                if (IsGround(cur.Value!, s))
                {
                    var v = EvalGround(cur.Value!, s);
                    return v is not null && onValue(v);
                }
                return EvalTerm(cur.Value!, s, onValue);
            });
            if (stop) return true;
            if (any) return false;
        }
        return false;
    }


    /// <summary>The definitions to evaluate: all of them, or the ones the rule index selects for the current input.</summary>
    private IReadOnlyList<RuleDef> Candidates(RuleSet rs)
    {
        if (rs.Index is not { } index || _funcOverrides is not null)
        {
            return rs.Defs;
        }
        var v = EvalRefGround(index.Key, []);
        int[] ids = v is not null && index.ByValue.TryGetValue(v, out var hit) ? hit : index.Unconstrained;
        if (ids.Length == 0) return Array.Empty<RuleDef>();
        var list = new RuleDef[ids.Length];
        for (int i = 0; i < ids.Length; i++) list[i] = rs.Defs[ids[i]];
        return list;
    }

    private static int MaxSlots(IReadOnlyList<RuleDef> defs)
    {
        int n = 0;
        for (int i = 0; i < defs.Count; i++) n = Math.Max(n, defs[i].SlotCount);
        return n;
    }

    private RegoValue? EvalComplete(RuleSet rs)
    {
        RegoValue? result = null;
        bool early = rs.ConstantValue is not null;
        var defs = Candidates(rs);
        // one frame for all definitions: every binding is undone when a body returns
        var s = new RegoValue?[MaxSlots(defs)];
        RuleDef d = null!;
        ValueCont onValue = v =>
        {
            if (result is null)
            {
                result = v;
            }
            else if (!result.Equals(v))
            {
                throw Conflict("complete rules must not produce multiple outputs", d.Loc);
            }
            return early;
        };
        for (int i = 0; i < defs.Count; i++)
        {
            d = defs[i];
            EvalChain(d, s, onValue);
            if (early && result is not null) break;
        }
        if (result is null && rs.Default is not null)
        {
            result = EvalGround(rs.Default.Value!, new RegoValue?[rs.Default.SlotCount]);
        }
        return result;
    }

    private RegoSet EvalMultiValue(RuleSet rs)
    {
        var set = new HashSet<RegoValue>();
        ValueCont add = v =>
        {
            set.Add(v);
            return false;
        };
        var defs = Candidates(rs);
        var s = new RegoValue?[MaxSlots(defs)];
        RuleDef d = null!;
        Cont onBody = () =>
        {
            if (IsGround(d.Key!, s))
            {
                var v = EvalGround(d.Key!, s);
                return v is not null && add(v);
            }
            return EvalTerm(d.Key!, s, add);
        };
        for (int i = 0; i < defs.Count; i++)
        {
            d = defs[i];
            EvalBody(d.Body.Exprs, 0, s, onBody);
        }
        return RegoSet.FromUnsorted([.. set]);
    }

    private sealed class ObjNode
    {
        public Dictionary<RegoValue, object> Children { get; } = [];
    }

    private RegoObject EvalPartialObject(RuleSet rs)
    {
        var root = new ObjNode();
        var candidates = Candidates(rs);
        for (int ci = 0; ci < candidates.Count; ci++)
        {
            var def = candidates[ci];
            var s = new RegoValue?[def.SlotCount];
            var d = def;
            var keys = new RegoValue[d.Suffix.Length];
            EvalBody(d.Body.Exprs, 0, s, () => EvalTermList(d.Suffix, 0, keys, s, ks => EvalTerm(d.IsMultiValue ? d.Key! : d.Value!, s, v =>
            {
                Insert(root, ks, v, d);
                return false;
            })));
        }
        return (RegoObject)Build(root);
    }

    private static void Insert(ObjNode root, RegoValue[] keys, RegoValue value, RuleDef d)
    {
        var node = root;
        for (int i = 0; i < keys.Length - 1; i++)
        {
            if (node.Children.TryGetValue(keys[i], out var existing))
            {
                if (existing is ObjNode on)
                {
                    node = on;
                    continue;
                }
                throw Conflict("object keys must be unique", d.Loc);
            }
            var nn = new ObjNode();
            node.Children[keys[i]] = nn;
            node = nn;
        }
        var last = keys[^1];
        if (d.IsMultiValue)
        {
            if (!node.Children.TryGetValue(last, out var leaf))
            {
                node.Children[last] = leaf = new HashSet<RegoValue>();
            }
            if (leaf is not HashSet<RegoValue> hs)
            {
                throw Conflict("object keys must be unique", d.Loc);
            }
            hs.Add(value);
            return;
        }
        if (node.Children.TryGetValue(last, out var cur))
        {
            if (cur is RegoValue cv && cv.Equals(value)) return;
            throw Conflict("object keys must be unique", d.Loc);
        }
        node.Children[last] = value;
    }

    private static RegoValue Build(ObjNode n)
    {
        var keys = new RegoValue[n.Children.Count];
        var vals = new RegoValue[n.Children.Count];
        int i = 0;
        foreach (var (k, v) in n.Children)
        {
            keys[i] = k;
            vals[i] = v switch
            {
                ObjNode on => Build(on),
                HashSet<RegoValue> hs => RegoSet.FromUnsorted([.. hs]),
                _ => (RegoValue)v,
            };
            i++;
        }
        var order = (RegoValue[])keys.Clone();
        var result = RegoObject.FromUnsorted(keys, vals, i);
        if (result.Count == order.Length)
        {
            result.ProductionOrder = order;
        }
        return result;
    }

    private RegoValue? CallFunction(RuleSet fs, RegoValue[] args, CallTerm site)
    {
        Enter(site.Loc);
        try
        {
            RegoValue? result = null;
            RuleDef current = fs.Defs.Count > 0 ? fs.Defs[0] : null!;
            ValueCont onValue = v =>
            {
                if (result is null)
                {
                    result = v;
                }
                else if (!result.Equals(v))
                {
                    throw Conflict("functions must not produce multiple outputs for same inputs", current.Loc);
                }
                return false;
            };
            foreach (var def in fs.Defs)
            {
                var s = new RegoValue?[def.SlotCount];
                var d = def;
                current = d;
                bool simple = true;
                foreach (var a in d.Args!)
                {
                    if (!IsSimplePattern(a, s))
                    {
                        simple = false;
                        break;
                    }
                }
                if (simple)
                {
                    int mark = _trailTop;
                    bool ok = true;
                    for (int i = 0; i < args.Length && ok; i++)
                    {
                        ok = BindInline(d.Args![i], args[i], s);
                    }
                    if (ok)
                    {
                        EvalChain(d, s, onValue);
                    }
                    UndoTrail(mark);
                }
                else
                {
                    BindMany(d.Args!, args, 0, s, () => EvalChain(d, s, onValue));
                }
            }
            if (result is null && fs.Default is not null)
            {
                result = EvalGround(fs.Default.Value!, new RegoValue?[fs.Default.SlotCount]);
            }
            return result;
        }
        finally
        {
            Exit();
        }
    }
}
