using System.Text;
using System.Text.RegularExpressions;
using Higress.Opa.Builtins;
using Higress.Opa.Compilation;
using Higress.Opa.Syntax;
using Higress.Opa.Values;

namespace Higress.Opa.Evaluation;

internal sealed partial class Evaluator
{
    private bool EvalCall(CallTerm c, RegoValue?[] s, ValueCont k)
    {
        if (c.Name == "print")
        {
            return EvalPrint(c, s) && k(RegoBoolean.True);
        }
        object? target = c.Function ?? (object?)c.Builtin;
        if (_funcOverrides is not null && _funcOverrides.TryGetValue(c.Name, out var repl))
        {
            target = repl is RuleSet rf ? new MockCall(rf) : repl;
        }
        bool pooled = IsPoolable(target);
        var args = pooled ? _args.Rent(c.Args.Length) : new RegoValue[c.Args.Length];
        bool ground = true;
        for (int i = 0; i < args.Length; i++)
        {
            var a = c.Args[i];
            if (a is ScalarTerm st)
            {
                args[i] = st.Value;
            }
            else if (a is VarTerm { Kind: VarKind.Local } lv && s[lv.Slot] is { } bv)
            {
                args[i] = bv;
            }
            else if (IsGround(a, s))
            {
                var v = EvalGround(a, s);
                if (v is null)
                {
                    if (pooled) _args.Return(args);
                    return false;
                }
                args[i] = v;
            }
            else
            {
                ground = false;
                break;
            }
        }
        if (ground)
        {
            bool found = Invoke(target, c, args, k);
            if (pooled) _args.Return(args);
            return found;
        }
        if (pooled) _args.Return(args);
        // evaluate the operands that enumerate first, so that variables they bind are ground for the others
        var order = new int[c.Args.Length];
        int n = 0;
        for (int i = 0; i < order.Length; i++) if (IsEnumerable(c.Args[i], s)) order[n++] = i;
        for (int i = 0; i < order.Length; i++) if (!IsEnumerable(c.Args[i], s)) order[n++] = i;
        return EvalArgsThenInvoke(target, c, order, s, k);
    }

    private bool EvalArgsThenInvoke(object? target, CallTerm c, int[] order, RegoValue?[] s, ValueCont k) =>
        EvalArgsOrdered(c.Args, order, 0, new RegoValue[c.Args.Length], s, vals => Invoke(target, c, (RegoValue[])vals.Clone(), k));

    /// <summary>Evaluates a call whose operands are ground and whose function yields at most one value.</summary>
    private RegoValue? EvalCallGround(CallTerm c, RegoValue?[] s)
    {
        object? target = c.Function ?? (object?)c.Builtin;
        if (_funcOverrides is not null && _funcOverrides.TryGetValue(c.Name, out var repl))
        {
            target = repl is RuleSet rf ? new MockCall(rf) : repl;
        }
        bool pooled = IsPoolable(target);
        var args = pooled ? _args.Rent(c.Args.Length) : new RegoValue[c.Args.Length];
        for (int i = 0; i < args.Length; i++)
        {
            var v = EvalGround(c.Args[i], s);
            if (v is null)
            {
                if (pooled) _args.Return(args);
                return null;
            }
            args[i] = v;
        }
        switch (target)
        {
            case RuleSet fs:
            {
                var r = CallFunction(fs, args, c);
                _args.Return(args);
                return r;
            }
            case BuiltinDefinition { Generator: null } b:
            {
                var r = InvokeBuiltin(b, args, c);
                _args.Return(args);
                return r;
            }
            case RegoValue v:
                return v;
            default:
            {
                RegoValue? result = null;
                Invoke(target, c, args, v =>
                {
                    result = v;
                    return true;
                });
                return result;
            }
        }
    }

    /// <summary>Operands of Rego functions and of single-result built-ins (which see them as a span) are not kept after the call.</summary>
    private static bool IsPoolable(object? target) => target is RuleSet or BuiltinDefinition { Generator: null };

    private bool Invoke(object? target, CallTerm c, RegoValue[] args, ValueCont k)
    {
        switch (target)
        {
            case MockCall mock:
            {
                // a replacement function runs without the active mocks (OPA: mocks do not apply inside mocks)
                var saved = _funcOverrides;
                var savedMemo = _memo;
                _funcOverrides = null;
                _memo = new Dictionary<object, RegoValue?>(ReferenceEqualityComparer.Instance);
                try
                {
                    var r = CallFunction(mock.Function, args, c);
                    return r is not null && k(r);
                }
                finally
                {
                    _funcOverrides = saved;
                    _memo = savedMemo;
                }
            }
            case RuleSet fs:
            {
                var r = CallFunction(fs, args, c);
                return r is not null && k(r);
            }
            case BuiltinDefinition b when b.Generator is not null:
            {
                IEnumerable<RegoValue> results;
                try
                {
                    results = b.Generator(args, Ctx);
                }
                catch (BuiltinException e)
                {
                    if (Ctx.StrictBuiltinErrors) throw new RegoException(e.Code, $"{b.Name}: {e.Message}", c.Loc);
                    return false;
                }
                foreach (var r in results)
                {
                    Tick();
                    if (k(r)) return true;
                }
                return false;
            }
            case BuiltinDefinition b:
            {
                var r = InvokeBuiltin(b, args, c);
                return r is not null && k(r);
            }
            case RegoValue v:
                return k(v);
            default:
                throw new RegoException(RegoErrorCodes.EvalInternalError, $"unknown function {c.Name}", c.Loc);
        }
    }

    private bool EvalArgsOrdered(Term[] terms, int[] order, int i, RegoValue[] acc, RegoValue?[] s, Func<RegoValue[], bool> k)
    {
        if (i == order.Length) return k(acc);
        int idx = order[i];
        return EvalTerm(terms[idx], s, v =>
        {
            acc[idx] = v;
            return EvalArgsOrdered(terms, order, i + 1, acc, s, k);
        });
    }

    private sealed record MockCall(RuleSet Function);

    private RegoValue? InvokeBuiltin(BuiltinDefinition b, RegoValue[] args, CallTerm site)
    {
        if (args.Length != b.Arity)
        {
            throw new RegoException(RegoErrorCodes.TypeError, $"{b.Name}: arity mismatch", site.Loc);
        }
        try
        {
            return b.Function!(args, Ctx);
        }
        catch (BuiltinException e)
        {
            if (Ctx.StrictBuiltinErrors)
            {
                throw new RegoException(e.Code, $"{b.Name}: {e.Message}", site.Loc);
            }
            return null;
        }
        catch (RegexMatchTimeoutException)
        {
            throw new RegoException(RegoErrorCodes.EvalCancelError, $"{b.Name}: regular expression evaluation exceeded its time budget", site.Loc);
        }
        catch (RegoException)
        {
            throw;
        }
        catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
        {
            throw new RegoException(RegoErrorCodes.EvalCancelError, "caller cancelled query execution", site.Loc);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or InsufficientExecutionStackException or StackOverflowException))
        {
            if (Ctx.StrictBuiltinErrors)
            {
                throw new RegoException(RegoErrorCodes.EvalBuiltinError, $"{b.Name}: {e.Message}", site.Loc);
            }
            return null;
        }
    }

    private bool EvalPrint(CallTerm c, RegoValue?[] s)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < c.Args.Length; i++)
        {
            if (i > 0) sb.Append(' ');
            var values = new List<RegoValue>();
            if (IsGround(c.Args[i], s))
            {
                var v = EvalGround(c.Args[i], s);
                if (v is not null) values.Add(v);
            }
            else
            {
                EvalTerm(c.Args[i], s, v =>
                {
                    values.Add(v);
                    return false;
                });
            }
            if (values.Count == 0)
            {
                sb.Append("<undefined>");
            }
            else
            {
                sb.Append(string.Join(" ", values.Select(v => v is RegoString rs ? rs.Value : v.ToString())));
            }
        }
        Ctx.PrintSink?.Invoke(sb.ToString());
        return true;
    }

    private bool EvalWith(Expr e, RegoValue?[] s, Cont k)
    {
        var newInput = _input;
        var newOverrides = _dataOverrides is null ? null : new List<(string[], RegoValue)>(_dataOverrides);
        var newFuncs = _funcOverrides is null ? null : new Dictionary<string, object>(_funcOverrides, StringComparer.Ordinal);
        foreach (var w in e.Withs)
        {
            if (w.Replacement is not null)
            {
                (newFuncs ??= new(StringComparer.Ordinal))[w.FunctionName] = w.Replacement;
                continue;
            }
            var value = IsGround(w.Value, s) ? EvalGround(w.Value, s) : null;
            if (value is null)
            {
                return false;
            }
            if (w.FunctionName.Length > 0)
            {
                (newFuncs ??= new(StringComparer.Ordinal))[w.FunctionName] = value;
            }
            else if (w.IsInput)
            {
                newInput = w.Path.Length == 0 ? value : UpsertValue(newInput, w.Path, value);
            }
            else
            {
                (newOverrides ??= []).Add((w.Path, value));
            }
        }
        var savedInput = _input;
        var savedOverrides = _dataOverrides;
        var savedFuncs = _funcOverrides;
        var savedMemo = _memo;
        var innerMemo = new Dictionary<object, RegoValue?>(ReferenceEqualityComparer.Instance);
        void SwapIn()
        {
            _input = newInput;
            _dataOverrides = newOverrides;
            _funcOverrides = newFuncs;
            _memo = innerMemo;
        }
        void SwapOut()
        {
            _input = savedInput;
            _dataOverrides = savedOverrides;
            _funcOverrides = savedFuncs;
            _memo = savedMemo;
        }
        SwapIn();
        try
        {
            return EvalExprInner(e, s, () =>
            {
                SwapOut();
                try
                {
                    return k();
                }
                finally
                {
                    SwapIn();
                }
            });
        }
        finally
        {
            SwapOut();
        }
    }
}
