using System.Diagnostics;
using Higress.Opa.Builtins;
using Higress.Opa.Evaluation;
using Higress.Opa.Syntax;
using Higress.Opa.Values;

namespace Higress.Opa;

/// <summary>
/// A query compiled against a policy. Thread-safe: evaluate it concurrently from any number of threads; each evaluation
/// uses its own state and the compiled tree is read-only.
/// </summary>
public sealed class PreparedQuery
{
    internal const string ResultVar = "__result__";
    private readonly CompiledPolicy _policy;
    private readonly Body _body;
    private readonly int _slots;
    private readonly (string Name, int Slot)[] _vars;
    private readonly int _resultSlot;
    private readonly RegoString[] _varNames;

    internal PreparedQuery(CompiledPolicy policy, Body body, int slots, (string Name, int Slot)[] vars, int resultSlot)
    {
        _policy = policy;
        _body = body;
        _slots = slots;
        _vars = vars;
        _resultSlot = resultSlot;
        _varNames = vars.Select(v => RegoString.Create(v.Name)).ToArray();
    }

    /// <summary>Evaluates with an input given as a plain .NET value, a <see cref="System.Text.Json.JsonElement"/> or a <see cref="RegoValue"/> (null: no input).</summary>
    public QueryResult Evaluate(object? input, EvaluationOptions? options = null) =>
        Evaluate(input is null ? null : RegoConvert.FromObject(input), options);

    /// <summary>Evaluates with an input value (null: no input, so <c>input</c> is undefined).</summary>
    public QueryResult Evaluate(RegoValue? input, EvaluationOptions? options = null)
    {
        options ??= EvaluationOptions.Default;
        // one cached evaluator per thread (no locks); a nested evaluation on the same thread gets a fresh one
        var ev = t_evaluator;
        if (ev is null || ev.InUse || ev.Root != _policy.Root)
        {
            ev = new Evaluator(_policy.Root, new BuiltinContext());
            if (t_evaluator is null || !t_evaluator.InUse)
            {
                t_evaluator = ev;
            }
        }
        var ctx = ev.Ctx;
        ctx.StrictBuiltinErrors = options.StrictBuiltinErrors;
        ctx.Now = options.Now ?? DateTimeOffset.UtcNow;
        ctx.RuntimeFactory = options.RuntimeFactory ??= () => BuildRuntime(options);
        ctx.AllowNetwork = options.AllowNetwork;
        ctx.HttpClient = options.HttpClient;
        ctx.PrintSink = options.Print;
        long deadline = options.Timeout is { } t ? Stopwatch.GetTimestamp() + (long)(t.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        ev.Reset(input, options.MaxDepth, deadline, options.CancellationToken);
        var items = new List<QueryResultItem>(1);
        var frame = new RegoValue?[_slots];
        ev.InUse = true;
        try
        {
            EvalInto(ev, frame, items);
        }
        finally
        {
            ev.InUse = false;
            ev.Release();
        }
        return new QueryResult(items);
    }

    [ThreadStatic]
    private static Evaluator? t_evaluator;

    private void EvalInto(Evaluator ev, RegoValue?[] frame, List<QueryResultItem> items)
    {
        ev.EvalQuery(_body, frame, f =>
        {
            RegoObject bindings = RegoObject.Empty;
            if (_vars.Length > 0)
            {
                var keys = new RegoValue[_vars.Length];
                var vals = new RegoValue[_vars.Length];
                int n = 0;
                for (int i = 0; i < _vars.Length; i++)
                {
                    if (f[_vars[i].Slot] is { } v)
                    {
                        keys[n] = _varNames[i];
                        vals[n] = v;
                        n++;
                    }
                }
                bindings = RegoObject.FromUnsorted(keys, vals, n);
            }
            items.Add(new QueryResultItem(bindings, _resultSlot >= 0 ? f[_resultSlot] : null));
        });
    }

    private static RegoValue BuildRuntime(EvaluationOptions options)
    {
        if (options.Environment is null)
        {
            return RegoObject.Empty;
        }
        var env = RegoObject.Create(options.Environment.Select(kv => new KeyValuePair<string, RegoValue>(kv.Key, RegoString.Create(kv.Value))));
        return RegoObject.Create([new KeyValuePair<string, RegoValue>("env", env)]);
    }
}
