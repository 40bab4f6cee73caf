using Higress.Opa.Syntax;
using Higress.Opa.Values;

namespace Higress.Opa.Evaluation;

/// <summary>
/// OPA's compiler moves nested calls (RewriteExprTerms), and refs used as call operands (RewriteDynamicTerms), out of a
/// negated expression into the body before it. So when one of them is undefined, or a built-in fails without strict
/// errors, the body fails instead of the <c>not</c> succeeding. <c>==</c> is rewritten to unification first, so its
/// ref operands stay inside (<c>not obj.missing == 1</c> is true), and so does a bare <c>not ref</c>.
/// </summary>
internal sealed partial class Evaluator
{
    private bool HoistedOperandsDefined(Expr e, RegoValue?[] s)
    {
        var hoisted = e.Hoisted ??= HoistedOperands(e);
        foreach (var h in hoisted)
        {
            // an operand with unbound variables would enumerate outside the negation; those stay where they are
            if (IsGround(h, s) && EvalGround(h, s) is null) return false;
        }
        return true;
    }

    private static Term[] HoistedOperands(Expr e)
    {
        var found = new List<Term>();
        switch (e.Kind)
        {
            case ExprKind.Term when e.A is CallTerm { Name: "equal", Args.Length: 2 } eq:
                CollectUnifyOperand(eq.Args[0], found);
                CollectUnifyOperand(eq.Args[1], found);
                break;
            case ExprKind.Term when e.A is CallTerm c:
                foreach (var a in c.Args) CollectDynamic(a, found);
                break;
            case ExprKind.Unify when e.OutputCall && e.A is CallTerm oc:
                foreach (var a in oc.Args) CollectDynamic(a, found);
                CollectDynamic(e.B!, found);
                break;
            case ExprKind.Term:
            case ExprKind.Unify:
                if (e.A is not null) CollectUnifyOperand(e.A, found);
                if (e.B is not null) CollectUnifyOperand(e.B, found);
                break;
        }
        return found.Count == 0 ? [] : found.ToArray();
    }

    /// <summary>An operand of unification: nested calls anywhere, and refs inside it (not the operand itself when it is a ref).</summary>
    private static void CollectUnifyOperand(Term t, List<Term> found)
    {
        if (t is RefTerm r)
        {
            CollectCalls(r.Head, found);
            foreach (var p in r.Path) CollectDynamic(p, found);
            return;
        }
        if (t is VarTerm)
        {
            return; // input and data are refs too
        }
        CollectDynamic(t, found);
    }

    /// <summary>Refs and calls, looking inside collections (comprehensions are always defined).</summary>
    private static void CollectDynamic(Term t, List<Term> found)
    {
        switch (t)
        {
            case RefTerm or CallTerm { Name: not "print" } or VarTerm { Kind: VarKind.Input or VarKind.Data }:
                found.Add(t);
                break;
            case ArrayTerm a:
                foreach (var x in a.Items) CollectDynamic(x, found);
                break;
            case SetTerm st:
                foreach (var x in st.Items) CollectDynamic(x, found);
                break;
            case ObjectTerm o:
                foreach (var (k, v) in o.Pairs)
                {
                    CollectDynamic(k, found);
                    CollectDynamic(v, found);
                }
                break;
        }
    }

    private static void CollectCalls(Term t, List<Term> found)
    {
        switch (t)
        {
            case CallTerm { Name: not "print" }:
                found.Add(t);
                break;
            case RefTerm r:
                CollectCalls(r.Head, found);
                foreach (var p in r.Path) CollectCalls(p, found);
                break;
            case ArrayTerm a:
                foreach (var x in a.Items) CollectCalls(x, found);
                break;
            case SetTerm st:
                foreach (var x in st.Items) CollectCalls(x, found);
                break;
            case ObjectTerm o:
                foreach (var (k, v) in o.Pairs)
                {
                    CollectCalls(k, found);
                    CollectCalls(v, found);
                }
                break;
        }
    }
}
