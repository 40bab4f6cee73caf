using System.Diagnostics;
using System.Runtime.CompilerServices;
using Higress.Opa.Builtins;
using Higress.Opa.Compilation;
using Higress.Opa.Syntax;
using Higress.Opa.Values;

namespace Higress.Opa.Evaluation;

internal delegate bool Cont();

internal delegate bool ValueCont(RegoValue value);

/// <summary>Top-down evaluator. One instance per evaluation; not thread-safe; the compiled tree it walks is shared and read-only.</summary>
internal sealed partial class Evaluator
{
    private readonly DataNode _root;
    private RegoValue? _input;
    private Dictionary<object, RegoValue?> _memo = new(ReferenceEqualityComparer.Instance);
    private List<(string[] Path, RegoValue Value)>? _dataOverrides;
    private Dictionary<string, object>? _funcOverrides;
    private int _depth;
    private int _maxDepth = 1000;
    private int _steps;
    private long _deadline = long.MaxValue;
    private CancellationToken _cancel;

    public Evaluator(DataNode root, BuiltinContext ctx)
    {
        _root = root;
        Ctx = ctx;
    }

    public BuiltinContext Ctx { get; }

    public DataNode Root => _root;

    public bool InUse { get; set; }

    /// <summary>Drops references to the last evaluation's values so a cached evaluator does not keep them alive.</summary>
    public void Release()
    {
        ClearTrail();
        _input = null;
        _memo.Clear();
        _dataOverrides = null;
        _funcOverrides = null;
        Ctx.Reset();
        Ctx.PrintSink = null;
        Ctx.HttpClient = null;
        Ctx.RuntimeFactory = null;
    }

    public void Reset(RegoValue? input, int maxDepth, long deadline, CancellationToken cancel)
    {
        _input = input;
        _memo.Clear();
        _dataOverrides = null;
        _funcOverrides = null;
        _depth = 0;
        _maxDepth = maxDepth;
        _steps = 0;
        _deadline = deadline;
        _cancel = cancel;
        ClearTrail();
        Ctx.DeadlineTimestamp = deadline;
        Ctx.CancellationToken = cancel;
        Ctx.Reset();
    }

    /// <summary>Evaluates a query body; calls <paramref name="onResult"/> with the frame for every solution.</summary>
    public void EvalQuery(Body body, RegoValue?[] frame, Action<RegoValue?[]> onResult)
    {
        try
        {
            EvalBody(body.Exprs, 0, frame, () =>
            {
                onResult(frame);
                return false;
            });
        }
        catch (InsufficientExecutionStackException)
        {
            throw new RegoException(RegoErrorCodes.EvalDepthError, "evaluation exceeded the maximum stack depth");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Tick()
    {
        if ((++_steps & 1023) == 0)
        {
            CheckLimits();
        }
    }

    private void CheckLimits()
    {
        if (_cancel.IsCancellationRequested)
        {
            throw new RegoException(RegoErrorCodes.EvalCancelError, "caller cancelled query execution");
        }
        if (_deadline != long.MaxValue && Stopwatch.GetTimestamp() > _deadline)
        {
            throw new RegoException(RegoErrorCodes.EvalCancelError, "evaluation exceeded its time budget");
        }
    }

    private void Enter(RegoLocation? loc)
    {
        if (++_depth > _maxDepth)
        {
            throw new RegoException(RegoErrorCodes.EvalDepthError, $"evaluation exceeded the maximum depth of {_maxDepth}", loc);
        }
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new RegoException(RegoErrorCodes.EvalDepthError, "evaluation exceeded the maximum stack depth", loc);
        }
        CheckLimits();
    }

    private void Exit() => _depth--;

    private static RegoException Conflict(string msg, RegoLocation? loc) => new(RegoErrorCodes.EvalConflictError, msg, loc);

    // ---------------------------------------------------------------- bodies and expressions

    private bool EvalExpr(Expr e, RegoValue?[] s, Cont k)
    {
        Tick();
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new RegoException(RegoErrorCodes.EvalDepthError, "evaluation exceeded the maximum stack depth", e.Loc);
        }
        if (e.Withs.Count > 0)
        {
            return EvalWith(e, s, k);
        }
        return EvalExprInner(e, s, k);
    }

    private bool EvalExprInner(Expr e, RegoValue?[] s, Cont k)
    {
        if (e.Negated)
        {
            if (!HoistedOperandsDefined(e, s))
            {
                return false;
            }
            bool found = EvalExprCore(e, s, static () => true);
            return !found && k();
        }
        return EvalExprCore(e, s, k);
    }

    private bool EvalExprCore(Expr e, RegoValue?[] s, Cont k)
    {
        switch (e.Kind)
        {
            case ExprKind.Term:
                if (IsGround(e.A!, s))
                {
                    var v = EvalGround(e.A!, s);
                    return v is not null && !(v is RegoBoolean { Value: false }) && k();
                }
                return EvalTermTruthy(e.A!, s, k);
            case ExprKind.Unify:
            case ExprKind.Assign:
                return Unify(e.A!, e.B!, s, k);
            case ExprKind.SomeDecl:
                return k();
            case ExprKind.SomeIn:
                if (IsGround(e.C!, s))
                {
                    var coll = EvalGround(e.C!, s);
                    return coll is not null && IterateCollection(coll, e.A, e.B!, s, k);
                }
                return EvalSomeIn(e, s, k);
            case ExprKind.Every:
                return EvalEveryTerm(e, s, k);
            default:
                throw new RegoException(RegoErrorCodes.EvalInternalError, "unknown expression", e.Loc);
        }
    }

    // the lambdas live in their own methods: C# allocates a closure at the entry of the method that declares it,
    // whether or not the branch that uses it runs

    private bool EvalTermTruthy(Term t, RegoValue?[] s, Cont k) => EvalTerm(t, s, v => v is not RegoBoolean { Value: false } && k());

    private bool EvalSomeIn(Expr e, RegoValue?[] s, Cont k) => EvalTerm(e.C!, s, coll => IterateCollection(coll, e.A, e.B!, s, k));

    private bool EvalEveryTerm(Expr e, RegoValue?[] s, Cont k) => EvalTerm(e.C!, s, domain => EvalEvery(e, domain, s) && k());

    private bool IterateCollection(RegoValue coll, Term? keyPat, Term valPat, RegoValue?[] s, Cont k)
    {
        switch (coll)
        {
            case RegoArray a:
                for (int i = 0; i < a.Count; i++)
                {
                    if (BindKeyValue(keyPat, RegoNumber.FromInt64(i), valPat, a[i], s, k)) return true;
                }
                return false;
            case RegoObject o:
            {
                var keys = o.Keys;
                var vals = o.Values;
                for (int i = 0; i < keys.Length; i++)
                {
                    if (BindKeyValue(keyPat, keys[i], valPat, vals[i], s, k)) return true;
                }
                return false;
            }
            case RegoSet set:
                foreach (var x in set.AsSpan())
                {
                    if (BindKeyValue(keyPat, x, valPat, x, s, k)) return true;
                }
                return false;
            default:
                return false;
        }
    }

    private bool BindKeyValue(Term? keyPat, RegoValue key, Term valPat, RegoValue val, RegoValue?[] s, Cont k)
    {
        Tick();
        if (keyPat is null)
        {
            return Bind(valPat, val, s, k);
        }
        if (IsSimplePattern(keyPat, s) && IsSimplePattern(valPat, s))
        {
            int mark = _trailTop;
            bool r = BindInline(keyPat, key, s) && BindInline(valPat, val, s) && k();
            UndoTrail(mark);
            return r;
        }
        return BindKeyThenValue(keyPat, key, valPat, val, s, k);
    }

    private bool BindKeyThenValue(Term keyPat, RegoValue key, Term valPat, RegoValue val, RegoValue?[] s, Cont k) =>
        Bind(keyPat, key, s, () => Bind(valPat, val, s, k));

    private bool EvalEvery(Expr e, RegoValue domain, RegoValue?[] s)
    {
        if (domain is not (RegoArray or RegoObject or RegoSet))
        {
            return false;
        }
        bool allOk = true;
        Cont body = () => EvalBody(e.Body!.Exprs, 0, s, static () => true);
        Cont check = () =>
        {
            if (!body())
            {
                allOk = false;
                return true; // stop iterating
            }
            return false;
        };
        IterateCollection(domain, e.A, e.B!, s, check);
        return allOk;
    }
}
