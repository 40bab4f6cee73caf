using Higress.Opa.Syntax;
using Higress.Opa.Values;

namespace Higress.Opa.Evaluation;

internal sealed partial class Evaluator
{
    /// <summary>True when the term has no unbound variable (so it evaluates to at most one value).</summary>
    private static bool IsGround(Term t, RegoValue?[] s)
    {
        switch (t)
        {
            case ScalarTerm:
            case ComprehensionTerm:
                return true;
            case VarTerm v:
                return v.Kind switch
                {
                    VarKind.Local => s[v.Slot] is not null,
                    VarKind.Wildcard => false,
                    _ => true,
                };
            case RefTerm r:
                if (!IsGround(r.Head, s)) return false;
                foreach (var p in r.Path)
                {
                    if (!IsGround(p, s)) return false;
                }
                return true;
            case CallTerm c:
                if (c.Builtin?.Generator is not null) return false;
                foreach (var a in c.Args)
                {
                    if (!IsGround(a, s)) return false;
                }
                return true;
            case ArrayTerm a:
                foreach (var x in a.Items)
                {
                    if (!IsGround(x, s)) return false;
                }
                return true;
            case SetTerm st:
                foreach (var x in st.Items)
                {
                    if (!IsGround(x, s)) return false;
                }
                return true;
            case ObjectTerm o:
                foreach (var (k, v) in o.Pairs)
                {
                    if (!IsGround(k, s) || !IsGround(v, s)) return false;
                }
                return true;
            default:
                return false;
        }
    }

    /// <summary>True when every unbound variable sits in a reference path (so evaluation enumerates rather than needs a pattern).</summary>
    private static bool IsEnumerable(Term t, RegoValue?[] s)
    {
        switch (t)
        {
            case VarTerm v:
                return v.Kind is not (VarKind.Local or VarKind.Wildcard) || (v.Kind == VarKind.Local && s[v.Slot] is not null);
            case ArrayTerm a:
                foreach (var x in a.Items) if (!IsEnumerable(x, s)) return false;
                return true;
            case ObjectTerm o:
                foreach (var (pk, pv) in o.Pairs) if (!IsEnumerable(pk, s) || !IsEnumerable(pv, s)) return false;
                return true;
            case SetTerm st:
                foreach (var x in st.Items) if (!IsEnumerable(x, s)) return false;
                return true;
            case CallTerm c:
                foreach (var x in c.Args) if (!IsEnumerable(x, s)) return false;
                return true;
            case RefTerm r:
                return r.Head is not VarTerm || IsEnumerable(r.Head, s);
            default:
                return true;
        }
    }

    private bool Unify(Term a, Term b, RegoValue?[] s, Cont k)
    {
        if (IsGround(b, s))
        {
            var vb = EvalGround(b, s);
            return vb is not null && Bind(a, vb, s, k);
        }
        if (IsGround(a, s))
        {
            var va = EvalGround(a, s);
            return va is not null && Bind(b, va, s, k);
        }
        if (a is ArrayTerm aa && b is ArrayTerm bb)
        {
            return aa.Items.Length == bb.Items.Length && UnifyPairs(aa.Items, bb.Items, 0, s, k);
        }
        if (a is ObjectTerm oa && b is ObjectTerm ob)
        {
            return UnifyObjects(oa, ob, s, k);
        }
        if (IsEnumerable(b, s))
        {
            return EvalThenBind(b, a, s, k);
        }
        if (IsEnumerable(a, s))
        {
            return EvalThenBind(a, b, s, k);
        }
        throw new RegoException(RegoErrorCodes.EvalInternalError, "cannot unify terms with unbound variables", a.Loc);
    }

    private bool EvalThenBind(Term source, Term pattern, RegoValue?[] s, Cont k) => EvalTerm(source, s, v => Bind(pattern, v, s, k));

    private bool UnifyObjects(ObjectTerm oa, ObjectTerm ob, RegoValue?[] s, Cont k)
    {
        if (oa.Pairs.Length != ob.Pairs.Length) return false;
        var left = new Term[oa.Pairs.Length];
        var right = new Term[oa.Pairs.Length];
        for (int i = 0; i < oa.Pairs.Length; i++)
        {
            var ka = EvalGround(oa.Pairs[i].Key, s);
            int j = Array.FindIndex(ob.Pairs, p => IsGround(p.Key, s) && Equals(EvalGround(p.Key, s), ka));
            if (ka is null || j < 0) return false;
            left[i] = oa.Pairs[i].Value;
            right[i] = ob.Pairs[j].Value;
        }
        return UnifyPairs(left, right, 0, s, k);
    }

    private bool UnifyPairs(Term[] a, Term[] b, int i, RegoValue?[] s, Cont k)
    {
        if (i == a.Length) return k();
        return Unify(a[i], b[i], s, () => UnifyPairs(a, b, i + 1, s, k));
    }

    /// <summary>Binds a pattern term to a value: binds unbound variables, compares everything else.</summary>
    private bool Bind(Term pattern, RegoValue value, RegoValue?[] s, Cont k)
    {
        switch (pattern)
        {
            case VarTerm v when v.Kind == VarKind.Local:
            {
                var cur = s[v.Slot];
                if (cur is null)
                {
                    s[v.Slot] = value;
                    try
                    {
                        return k();
                    }
                    finally
                    {
                        s[v.Slot] = null;
                    }
                }
                return cur.Equals(value) && k();
            }
            case VarTerm v when v.Kind == VarKind.Wildcard:
                return k();
            case ScalarTerm st:
                return st.Value.Equals(value) && k();
            case ArrayTerm a when !IsGround(a, s):
                return value is RegoArray arr && arr.Count == a.Items.Length && BindArray(a.Items, arr, 0, s, k);
            case ObjectTerm o when !IsGround(o, s):
            {
                if (value is not RegoObject obj || obj.Count != o.Pairs.Length) return false;
                var pats = new Term[o.Pairs.Length];
                var vals = new RegoValue[o.Pairs.Length];
                for (int i = 0; i < pats.Length; i++)
                {
                    var key = EvalGround(o.Pairs[i].Key, s);
                    if (key is null || !obj.TryGetValue(key, out var got)) return false;
                    pats[i] = o.Pairs[i].Value;
                    vals[i] = got;
                }
                return BindMany(pats, vals, 0, s, k);
            }
            default:
                if (IsGround(pattern, s))
                {
                    var pv = EvalGround(pattern, s);
                    return pv is not null && pv.Equals(value) && k();
                }
                return EvalAndCompare(pattern, value, s, k);
        }
    }

    private bool EvalAndCompare(Term pattern, RegoValue value, RegoValue?[] s, Cont k) => EvalTerm(pattern, s, pv => pv.Equals(value) && k());

    private bool BindArray(Term[] pats, RegoArray arr, int i, RegoValue?[] s, Cont k)
    {
        if (i == pats.Length) return k();
        return Bind(pats[i], arr[i], s, () => BindArray(pats, arr, i + 1, s, k));
    }

    private bool BindMany(Term[] pats, RegoValue[] vals, int i, RegoValue?[] s, Cont k)
    {
        if (i == pats.Length) return k();
        return Bind(pats[i], vals[i], s, () => BindMany(pats, vals, i + 1, s, k));
    }
}
