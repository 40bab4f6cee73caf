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
        var step = _chainSteps.Count > 0 ? _chainSteps.Pop() : new ChainStep(this);
        step.Frame = s;
        step.OnValue = onValue;
        bool stop = false;
        for (var d = def; d is not null; d = d.Else)
        {
            step.Def = d;
            step.Any = false;
            stop = EvalBody(d.Body.Exprs, 0, s, step.Run);
            if (stop || step.Any) break;
        }
        step.Def = null!;
        step.Frame = null!;
        step.OnValue = null!;
        _chainSteps.Push(step);
        return stop;
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
        var defs = Candidates(rs);
        // one frame for all definitions: every binding is undone when a body returns
        var s = RentFrame(MaxSlots(defs));
        var sink = RentSingleValue(stopAtFirst: rs.ConstantValue is not null, isFunction: false);
        for (int i = 0; i < defs.Count; i++)
        {
            sink.Def = defs[i];
            EvalChain(defs[i], s, sink.Run);
            if (sink.StopAtFirst && sink.Result is not null) break;
        }
        var result = sink.Result;
        ReturnSingleValue(sink);
        ReturnFrame(s);
        if (result is null && rs.Default is not null)
        {
            result = EvalDefault(rs.Default);
        }
        return result;
    }

    private RegoValue? EvalDefault(RuleDef def)
    {
        var s = RentFrame(def.SlotCount);
        var v = EvalGround(def.Value!, s);
        ReturnFrame(s);
        return v;
    }

    private RegoSet EvalMultiValue(RuleSet rs)
    {
        var defs = Candidates(rs);
        var s = RentFrame(MaxSlots(defs));
        var members = _setMembers.Count > 0 ? _setMembers.Pop() : new SetMembers(this);
        members.Frame = s;
        for (int i = 0; i < defs.Count; i++)
        {
            members.Def = defs[i];
            EvalBody(defs[i].Body.Exprs, 0, s, members.OnBody);
        }
        // FromUnsorted sorts and drops duplicates
        var result = RegoSet.FromUnsorted(members.Items.ToArray());
        members.Clear();
        _setMembers.Push(members);
        ReturnFrame(s);
        return result;
    }

    private sealed class ObjNode
    {
        public Dictionary<RegoValue, object> Children { get; } = [];
    }

    /// <summary>The object a partial object rule builds; with <paramref name="only"/>, just the entries under that key.</summary>
    private RegoObject EvalPartialObject(RuleSet rs, RegoValue? only = null)
    {
        var root = new ObjNode();
        var candidates = Candidates(rs);
        for (int ci = 0; ci < candidates.Count; ci++)
        {
            var d = candidates[ci];
            if (only is not null && d.Suffix[0] is ScalarTerm first && !first.Value.Equals(only))
            {
                continue;
            }
            var s = RentFrame(d.SlotCount);
            var keys = new RegoValue[d.Suffix.Length];
            EvalBody(d.Body.Exprs, 0, s, () => EvalTermList(d.Suffix, 0, keys, s, ks => EvalTerm(d.IsMultiValue ? d.Key! : d.Value!, s, v =>
            {
                if (only is null || ks[0].Equals(only))
                {
                    Insert(root, ks, v, d);
                }
                return false;
            })));
            ReturnFrame(s);
        }
        return (RegoObject)Build(root);
    }

    /// <summary>
    /// One key of a partial object rule, as OPA evaluates <c>p[k]</c>: a conflict on another key goes unnoticed. The
    /// whole object is built and memoised first (later lookups are then free); only when that conflicts are the
    /// definitions that can produce this key evaluated on their own.
    /// </summary>
    private RegoValue? EvalPartialObjectKey(RuleSet rs, RegoValue key)
    {
        int mark = _trailTop;
        try
        {
            var whole = EvalRuleSet(rs);
            return whole is null ? null : Lookup(whole, key);
        }
        catch (RegoException e) when (e.Code == RegoErrorCodes.EvalConflictError)
        {
            UndoTrail(mark);
        }
        Enter(rs.Defs.Count > 0 ? rs.Defs[0].Loc : null);
        try
        {
            return Lookup(EvalPartialObject(rs, key), key);
        }
        finally
        {
            Exit();
        }
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
        var sink = RentSingleValue(stopAtFirst: false, isFunction: true);
        try
        {
            foreach (var d in fs.Defs)
            {
                var s = RentFrame(d.SlotCount);
                sink.Def = d;
                if (ArgsAreSimple(d, s))
                {
                    int mark = _trailTop;
                    bool ok = true;
                    for (int i = 0; i < args.Length && ok; i++)
                    {
                        ok = BindInline(d.Args![i], args[i], s);
                    }
                    if (ok)
                    {
                        EvalChain(d, s, sink.Run);
                    }
                    UndoTrail(mark);
                }
                else
                {
                    BindArgsThenChain(d, args, s, sink.Run);
                }
                ReturnFrame(s);
            }
            var result = sink.Result;
            if (result is null && fs.Default is not null)
            {
                result = EvalDefault(fs.Default);
            }
            ReturnSingleValue(sink);
            return result;
        }
        finally
        {
            Exit();
        }
    }

    private static bool ArgsAreSimple(RuleDef d, RegoValue?[] s)
    {
        foreach (var a in d.Args!)
        {
            if (!IsSimplePattern(a, s)) return false;
        }
        return true;
    }

    private bool BindArgsThenChain(RuleDef d, RegoValue[] args, RegoValue?[] s, ValueCont onValue) =>
        BindMany(d.Args!, args, 0, s, () => EvalChain(d, s, onValue));
}
