using Higress.Opa.Compilation;
using Higress.Opa.Syntax;
using Higress.Opa.Values;

namespace Higress.Opa.Evaluation;

internal sealed partial class Evaluator
{
    /// <summary>Evaluates a ground term to its value, or null when undefined.</summary>
    private RegoValue? EvalGround(Term t, RegoValue?[] s)
    {
        switch (t)
        {
            case ScalarTerm st:
                return st.Value;
            case VarTerm v:
                return v.Kind switch
                {
                    VarKind.Local => s[v.Slot],
                    VarKind.Input => _input,
                    VarKind.Data => DataValue(_root, 0),
                    _ => null,
                };
            case RefTerm r:
                return EvalRefGround(r, s);
            case CallTerm c when c.Name != "print" && c.Builtin?.Generator is null:
                return EvalCallGround(c, s);
            case CallTerm c:
            {
                RegoValue? result = null;
                EvalCall(c, s, v =>
                {
                    result = v;
                    return true;
                });
                return result;
            }
            case ArrayTerm a:
            {
                var items = new RegoValue[a.Items.Length];
                for (int i = 0; i < items.Length; i++)
                {
                    var x = EvalGround(a.Items[i], s);
                    if (x is null) return null;
                    items[i] = x;
                }
                return RegoArray.Wrap(items);
            }
            case SetTerm st:
            {
                var items = new RegoValue[st.Items.Length];
                for (int i = 0; i < items.Length; i++)
                {
                    var x = EvalGround(st.Items[i], s);
                    if (x is null) return null;
                    items[i] = x;
                }
                return RegoSet.FromUnsorted(items);
            }
            case ObjectTerm o:
            {
                var keys = new RegoValue[o.Pairs.Length];
                var vals = new RegoValue[o.Pairs.Length];
                for (int i = 0; i < keys.Length; i++)
                {
                    var kv = EvalGround(o.Pairs[i].Key, s);
                    var vv = EvalGround(o.Pairs[i].Value, s);
                    if (kv is null || vv is null) return null;
                    for (int j = 0; j < i; j++)
                    {
                        if (keys[j].Equals(kv) && !vals[j].Equals(vv))
                        {
                            throw Conflict("object keys must be unique", o.Loc);
                        }
                    }
                    keys[i] = kv;
                    vals[i] = vv;
                }
                return RegoObject.FromUnsorted(keys, vals, keys.Length);
            }
            case ComprehensionTerm c:
                return EvalComprehension(c, s);
            default:
                return null;
        }
    }

    /// <summary>Evaluates a term, calling <paramref name="k"/> for each value (refs with unbound variables enumerate).</summary>
    private bool EvalTerm(Term t, RegoValue?[] s, ValueCont k)
    {
        switch (t)
        {
            case RefTerm r:
                return EvalRef(r, s, k);
            case CallTerm c:
                return EvalCall(c, s, k);
            case ArrayTerm a when !IsGround(a, s):
                return EvalArrayTerm(a, s, k);
            case SetTerm st when !IsGround(st, s):
                return EvalSetTerm(st, s, k);
            case ObjectTerm o when !IsGround(o, s):
                return EvalObjectTerm(o, s, k);
            case VarTerm { Kind: VarKind.Local } v when s[v.Slot] is null:
                throw new RegoException(RegoErrorCodes.UnsafeVarError, $"var {v.Name} is unsafe", v.Loc);
            default:
            {
                var value = EvalGround(t, s);
                return value is not null && k(value);
            }
        }
    }

    private bool EvalArrayTerm(ArrayTerm a, RegoValue?[] s, ValueCont k) =>
        EvalTermList(a.Items, 0, new RegoValue[a.Items.Length], s, items => k(RegoArray.Wrap((RegoValue[])items.Clone())));

    private bool EvalSetTerm(SetTerm st, RegoValue?[] s, ValueCont k) =>
        EvalTermList(st.Items, 0, new RegoValue[st.Items.Length], s, items => k(RegoSet.FromUnsorted((RegoValue[])items.Clone())));

    private bool EvalObjectTerm(ObjectTerm o, RegoValue?[] s, ValueCont k)
    {
        var terms = new Term[o.Pairs.Length * 2];
        for (int i = 0; i < o.Pairs.Length; i++)
        {
            terms[2 * i] = o.Pairs[i].Key;
            terms[2 * i + 1] = o.Pairs[i].Value;
        }
        return EvalTermList(terms, 0, new RegoValue[terms.Length], s, items =>
        {
            int n = o.Pairs.Length;
            var keys = new RegoValue[n];
            var vals = new RegoValue[n];
            for (int i = 0; i < n; i++)
            {
                keys[i] = items[2 * i];
                vals[i] = items[2 * i + 1];
            }
            return k(RegoObject.FromUnsorted(keys, vals, n));
        });
    }

    private bool EvalTermList(Term[] terms, int i, RegoValue[] acc, RegoValue?[] s, Func<RegoValue[], bool> k)
    {
        if (i == terms.Length) return k(acc);
        return EvalTerm(terms[i], s, v =>
        {
            acc[i] = v;
            return EvalTermList(terms, i + 1, acc, s, k);
        });
    }

    private bool EvalRef(RefTerm r, RegoValue?[] s, ValueCont k)
    {
        switch (r.Head)
        {
            case VarTerm { Kind: VarKind.Data }:
                return EvalDataRef(r, s, k);
            case VarTerm { Kind: VarKind.Input }:
                return _input is not null && WalkValue(_input, r.Path, 0, s, k);
            case VarTerm { Kind: VarKind.Local } lv:
            {
                var hv = s[lv.Slot];
                if (hv is null) throw new RegoException(RegoErrorCodes.UnsafeVarError, $"var {lv.Name} is unsafe", lv.Loc);
                return WalkValue(hv, r.Path, 0, s, k);
            }
            default:
                return EvalHeadThenWalk(r, s, k);
        }
    }

    private bool EvalHeadThenWalk(RefTerm r, RegoValue?[] s, ValueCont k) => EvalTerm(r.Head, s, hv => WalkValue(hv, r.Path, 0, s, k));

    internal static RegoValue? Lookup(RegoValue cur, RegoValue key)
    {
        switch (cur)
        {
            case RegoObject o:
                return o.TryGetValue(key, out var v) ? v : null;
            case RegoArray a:
                if (key is RegoNumber n && n.IsInteger && n.TryGetInt32(out int idx) && idx >= 0 && idx < a.Count)
                {
                    return a[idx];
                }
                return null;
            case RegoSet set:
                return set.Contains(key) ? key : null;
            default:
                return null;
        }
    }

    /// <summary>Lookup in base data (OPA's storage): integer keys also find the object key of their decimal text.</summary>
    internal static RegoValue? StorageLookup(RegoValue cur, RegoValue key)
    {
        var r = Lookup(cur, key);
        if (r is null && cur is RegoObject && key is RegoNumber n && n.IsInteger)
        {
            r = Lookup(cur, RegoString.Create(n.ToText()));
        }
        return r;
    }

    private bool WalkValue(RegoValue cur, Term[] path, int i, RegoValue?[] s, ValueCont k, bool storage = false)
    {
        while (i < path.Length)
        {
            var p = path[i];
            RegoValue? key;
            if (p is ScalarTerm st)
            {
                key = st.Value;
            }
            else if (p is VarTerm { Kind: VarKind.Local } v && s[v.Slot] is { } bound)
            {
                key = bound;
            }
            else if (IsGround(p, s))
            {
                key = EvalGround(p, s);
                if (key is null) return false;
            }
            else
            {
                return EnumerateRef(cur, p, path, i, s, k, storage);
            }
            var next = storage ? StorageLookup(cur, key) : Lookup(cur, key);
            if (next is null) return false;
            cur = next;
            i++;
        }
        return k(cur);
    }

    private bool EnumerateRef(RegoValue cur, Term p, Term[] path, int i, RegoValue?[] s, ValueCont k, bool storage)
    {
        RegoValue child = RegoNull.Instance;
        Cont next = () => WalkValue(child, path, i + 1, s, k, storage);
        switch (cur)
        {
            case RegoArray a:
                for (int j = 0; j < a.Count; j++)
                {
                    Tick();
                    child = a[j];
                    if (Bind(p, RegoNumber.FromInt64(j), s, next)) return true;
                }
                return false;
            case RegoObject { ProductionOrder: { } order } po:
                foreach (var key in order)
                {
                    Tick();
                    po.TryGetValue(key, out child);
                    if (Bind(p, key, s, next)) return true;
                }
                return false;
            case RegoObject o:
            {
                var keys = o.Keys;
                var vals = o.Values;
                for (int j = 0; j < keys.Length; j++)
                {
                    Tick();
                    child = vals[j];
                    if (Bind(p, keys[j], s, next)) return true;
                }
                return false;
            }
            case RegoSet set:
                foreach (var e in set.AsSpan())
                {
                    Tick();
                    child = e;
                    if (Bind(p, e, s, next)) return true;
                }
                return false;
            default:
                return false;
        }
    }

    private bool EvalHead(Term t, RegoValue?[] s, ValueCont k)
    {
        if (IsGround(t, s))
        {
            var v = EvalGround(t, s);
            return v is not null && k(v);
        }
        return EvalTerm(t, s, k);
    }

    private RegoValue EvalComprehension(ComprehensionTerm c, RegoValue?[] s)
    {
        switch (c.Kind)
        {
            case ComprehensionKind.Array:
            {
                var list = new List<RegoValue>();
                ValueCont add = v =>
                {
                    list.Add(v);
                    return false;
                };
                EvalBody(c.Body.Exprs, 0, s, () => EvalHead(c.Value, s, add));
                return RegoArray.Wrap(list.ToArray());
            }
            case ComprehensionKind.Set:
            {
                var set = new HashSet<RegoValue>();
                ValueCont add = v =>
                {
                    set.Add(v);
                    return false;
                };
                EvalBody(c.Body.Exprs, 0, s, () => EvalHead(c.Value, s, add));
                return RegoSet.FromUnsorted([.. set]);
            }
            default:
            {
                var dict = new Dictionary<RegoValue, RegoValue>();
                EvalBody(c.Body.Exprs, 0, s, () => EvalTerm(c.Key!, s, key => EvalTerm(c.Value, s, v =>
                {
                    if (dict.TryGetValue(key, out var existing))
                    {
                        if (!existing.Equals(v)) throw Conflict("object keys must be unique", c.Loc);
                    }
                    else
                    {
                        dict[key] = v;
                    }
                    return false;
                })));
                return RegoObject.FromUnsorted([.. dict.Keys], [.. dict.Values], dict.Count);
            }
        }
    }
}
