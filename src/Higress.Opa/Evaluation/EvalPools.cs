using Higress.Opa.Compilation;
using Higress.Opa.Syntax;
using Higress.Opa.Values;

namespace Higress.Opa.Evaluation;

/// <summary>
/// Reused evaluation state: binding frames and the continuations of the hottest call sites. Evaluation is synchronous
/// and a continuation or frame is never used after the call it was made for returns, so both are taken from a stack
/// and given back when that call returns (after an exception they are simply left to the collector). The evaluator is
/// cached per thread, so after warm-up a decision allocates only the values it creates.
/// </summary>
internal sealed partial class Evaluator
{
    private readonly ArrayStacks<RegoValue?> _frames = new();
    private readonly ArrayStacks<RegoValue> _args = new();
    private readonly Stack<BodyRest> _bodyRests = new();
    private readonly Stack<ChainStep> _chainSteps = new();
    private readonly Stack<SingleValue> _singleValues = new();
    private readonly Stack<SetMembers> _setMembers = new();

    /// <summary>A cleared frame of <paramref name="slots"/> slots; give it back with <see cref="ReturnFrame"/>.</summary>
    private RegoValue?[] RentFrame(int slots) => _frames.Rent(slots);

    private void ReturnFrame(RegoValue?[] frame) => _frames.Return(frame);

    /// <summary>Arrays of one length each, reused in stack order.</summary>
    private sealed class ArrayStacks<T>
    {
        private const int MaxLength = 64;
        private readonly Stack<T[]>?[] _byLength = new Stack<T[]>?[MaxLength + 1];

        public T[] Rent(int length)
        {
            if (length == 0) return [];
            if (length > MaxLength) return new T[length];
            var stack = _byLength[length];
            return stack is { Count: > 0 } ? stack.Pop() : new T[length];
        }

        public void Return(T[] array)
        {
            if (array.Length == 0 || array.Length > MaxLength) return;
            Array.Clear(array);
            (_byLength[array.Length] ??= new Stack<T[]>()).Push(array);
        }
    }

    /// <summary>Evaluates <paramref name="e"/> and then the rest of its body from <paramref name="next"/>.</summary>
    private bool EvalExprThenRest(Expr e, List<Expr> exprs, int next, RegoValue?[] s, Cont k)
    {
        var rest = _bodyRests.Count > 0 ? _bodyRests.Pop() : new BodyRest(this);
        rest.Exprs = exprs;
        rest.Next = next;
        rest.Frame = s;
        rest.K = k;
        bool result = EvalExpr(e, s, rest.Run);
        rest.Exprs = null!;
        rest.Frame = null!;
        rest.K = null!;
        _bodyRests.Push(rest);
        return result;
    }

    private sealed class BodyRest
    {
        private readonly Evaluator _ev;

        public BodyRest(Evaluator ev)
        {
            _ev = ev;
            Run = Invoke;
        }

        public Cont Run { get; }

        public List<Expr> Exprs { get; set; } = null!;

        public int Next { get; set; }

        public RegoValue?[] Frame { get; set; } = null!;

        public Cont K { get; set; } = null!;

        private bool Invoke() => _ev.EvalBody(Exprs, Next, Frame, K);
    }

    /// <summary>The continuation of one body of an else chain: marks that the body succeeded and yields the head value.</summary>
    private sealed class ChainStep
    {
        private readonly Evaluator _ev;

        public ChainStep(Evaluator ev)
        {
            _ev = ev;
            Run = Invoke;
            _yield = Yield;
        }

        private readonly ValueCont _yield;

        public Cont Run { get; }

        public RuleDef Def { get; set; } = null!;

        public RegoValue?[] Frame { get; set; } = null!;

        public ValueCont OnValue { get; set; } = null!;

        public bool Any { get; set; }

        // OPA moves a head value that is a ref or a call into the body: when it is undefined, the body has not
        // succeeded and the next else is tried
        private bool Invoke()
        {
            var head = Def.Value!;
            if (IsGround(head, Frame))
            {
                var v = _ev.EvalGround(head, Frame);
                return v is not null && Yield(v);
            }
            return _ev.EvalTerm(head, Frame, _yield);
        }

        private bool Yield(RegoValue v)
        {
            Any = true;
            return OnValue(v);
        }
    }

    /// <summary>Collects the single value of a complete rule or a function call; a second, different value is a conflict.</summary>
    private sealed class SingleValue
    {
        public SingleValue() => Run = Accept;

        public ValueCont Run { get; }

        public RegoValue? Result { get; set; }

        public RuleDef? Def { get; set; }

        public bool StopAtFirst { get; set; }

        public bool IsFunction { get; set; }

        private bool Accept(RegoValue v)
        {
            if (Result is null)
            {
                Result = v;
            }
            else if (!Result.Equals(v))
            {
                throw Conflict(
                    IsFunction ? "functions must not produce multiple outputs for same inputs" : "complete rules must not produce multiple outputs",
                    Def?.Loc);
            }
            return StopAtFirst;
        }
    }

    private SingleValue RentSingleValue(bool stopAtFirst, bool isFunction)
    {
        var sv = _singleValues.Count > 0 ? _singleValues.Pop() : new SingleValue();
        sv.Result = null;
        sv.Def = null;
        sv.StopAtFirst = stopAtFirst;
        sv.IsFunction = isFunction;
        return sv;
    }

    private void ReturnSingleValue(SingleValue sv)
    {
        sv.Result = null;
        sv.Def = null;
        _singleValues.Push(sv);
    }

    /// <summary>Collects the members of a multi-value (partial set) rule: the continuation of each body yields the rule's key.</summary>
    private sealed class SetMembers
    {
        private readonly Evaluator _ev;

        public SetMembers(Evaluator ev)
        {
            _ev = ev;
            Add = Accept;
            OnBody = YieldKey;
        }

        public List<RegoValue> Items { get; } = [];

        public ValueCont Add { get; }

        public Cont OnBody { get; }

        public RuleDef Def { get; set; } = null!;

        public RegoValue?[] Frame { get; set; } = null!;

        public void Clear()
        {
            Items.Clear();
            Def = null!;
            Frame = null!;
        }

        private bool Accept(RegoValue v)
        {
            Items.Add(v);
            return false;
        }

        private bool YieldKey()
        {
            var key = Def.Key!;
            if (IsGround(key, Frame))
            {
                var v = _ev.EvalGround(key, Frame);
                return v is not null && Accept(v);
            }
            return _ev.EvalTerm(key, Frame, Add);
        }
    }
}
