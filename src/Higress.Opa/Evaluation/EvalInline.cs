using Higress.Opa.Syntax;
using Higress.Opa.Values;

namespace Higress.Opa.Evaluation;

/// <summary>
/// Fast path: deterministic expressions (ground checks, assignments from ground values, negations) run inline without
/// continuations; their bindings go on a trail undone when the body returns.
/// </summary>
internal sealed partial class Evaluator
{
    private enum Inline : byte { Ok, Fail, NotInline }

    private static readonly Cont AlwaysTrue = static () => true;

    private RegoValue?[][] _trailFrames = new RegoValue?[64][];
    private int[] _trailSlots = new int[64];
    private int _trailTop;

    private void PushTrail(RegoValue?[] s, int slot)
    {
        if (_trailTop == _trailSlots.Length)
        {
            Array.Resize(ref _trailFrames, _trailTop * 2);
            Array.Resize(ref _trailSlots, _trailTop * 2);
        }
        _trailFrames[_trailTop] = s;
        _trailSlots[_trailTop] = slot;
        _trailTop++;
    }

    private void UndoTrail(int mark)
    {
        while (_trailTop > mark)
        {
            _trailTop--;
            _trailFrames[_trailTop][_trailSlots[_trailTop]] = null;
            _trailFrames[_trailTop] = null!;
        }
    }

    private void ClearTrail()
    {
        Array.Clear(_trailFrames, 0, _trailTop);
        _trailTop = 0;
    }

    private bool EvalBody(List<Expr> exprs, int i, RegoValue?[] s, Cont k)
    {
        int mark = _trailTop;
        while (i < exprs.Count)
        {
            var r = TryInline(exprs[i], s);
            if (r == Inline.Fail)
            {
                UndoTrail(mark);
                return false;
            }
            if (r == Inline.NotInline)
            {
                break;
            }
            i++;
        }
        bool result;
        if (i == exprs.Count)
        {
            result = k();
        }
        else if (i + 1 == exprs.Count)
        {
            result = EvalExpr(exprs[i], s, k);
        }
        else
        {
            result = EvalExprThenRest(exprs[i], exprs, i + 1, s, k);
        }
        UndoTrail(mark);
        return result;
    }

    private Inline TryInline(Expr e, RegoValue?[] s)
    {
        if (e.Withs.Count > 0)
        {
            return Inline.NotInline;
        }
        Tick();
        if (e.Negated)
        {
            if (!HoistedOperandsDefined(e, s))
            {
                return Inline.Fail;
            }
            if (e.Kind == ExprKind.Term && IsGround(e.A!, s))
            {
                var nv = EvalGround(e.A!, s);
                return nv is null || nv is RegoBoolean { Value: false } ? Inline.Ok : Inline.Fail;
            }
            return EvalExprCore(e, s, AlwaysTrue) ? Inline.Fail : Inline.Ok;
        }
        switch (e.Kind)
        {
            case ExprKind.Term:
            {
                if (!IsGround(e.A!, s)) return Inline.NotInline;
                var v = EvalGround(e.A!, s);
                return v is null || v is RegoBoolean { Value: false } ? Inline.Fail : Inline.Ok;
            }
            case ExprKind.Unify:
            case ExprKind.Assign:
            {
                Term pattern;
                RegoValue? v;
                if (IsGround(e.B!, s) && IsSimplePattern(e.A!, s))
                {
                    pattern = e.A!;
                    v = EvalGround(e.B!, s);
                }
                else if (IsGround(e.A!, s) && IsSimplePattern(e.B!, s))
                {
                    pattern = e.B!;
                    v = EvalGround(e.A!, s);
                }
                else
                {
                    return Inline.NotInline;
                }
                return v is not null && BindInline(pattern, v, s) ? Inline.Ok : Inline.Fail;
            }
            case ExprKind.SomeDecl:
                return Inline.Ok;
            case ExprKind.Every:
            {
                if (!IsGround(e.C!, s)) return Inline.NotInline;
                var domain = EvalGround(e.C!, s);
                return domain is not null && EvalEvery(e, domain, s) ? Inline.Ok : Inline.Fail;
            }
            default:
                return Inline.NotInline;
        }
    }

    private static bool IsSimplePattern(Term t, RegoValue?[] s)
    {
        switch (t)
        {
            case VarTerm { Kind: VarKind.Local or VarKind.Wildcard }:
                return true;
            case ArrayTerm a:
                foreach (var x in a.Items)
                {
                    if (!IsSimplePattern(x, s)) return false;
                }
                return true;
            case ObjectTerm o:
                foreach (var (k, v) in o.Pairs)
                {
                    if (!IsGround(k, s) || !IsSimplePattern(v, s)) return false;
                }
                return true;
            default:
                return IsGround(t, s);
        }
    }

    private bool BindInline(Term p, RegoValue v, RegoValue?[] s)
    {
        switch (p)
        {
            case VarTerm { Kind: VarKind.Local } lv:
            {
                var cur = s[lv.Slot];
                if (cur is null)
                {
                    s[lv.Slot] = v;
                    PushTrail(s, lv.Slot);
                    return true;
                }
                return cur.Equals(v);
            }
            case VarTerm { Kind: VarKind.Wildcard }:
                return true;
            case ScalarTerm st:
                return st.Value.Equals(v);
            case ArrayTerm a when !IsGround(a, s):
            {
                if (v is not RegoArray arr || arr.Count != a.Items.Length) return false;
                for (int i = 0; i < arr.Count; i++)
                {
                    if (!BindInline(a.Items[i], arr[i], s)) return false;
                }
                return true;
            }
            case ObjectTerm o when !IsGround(o, s):
            {
                if (v is not RegoObject obj || obj.Count != o.Pairs.Length) return false;
                foreach (var (k, pv) in o.Pairs)
                {
                    var key = EvalGround(k, s);
                    if (key is null || !obj.TryGetValue(key, out var got) || !BindInline(pv, got, s)) return false;
                }
                return true;
            }
            default:
            {
                var pv = EvalGround(p, s);
                return pv is not null && pv.Equals(v);
            }
        }
    }
}
