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
        var ctx = new BuiltinContext
        {
            StrictBuiltinErrors = options.StrictBuiltinErrors,
            Now = options.Now ?? DateTimeOffset.UtcNow,
            Runtime = BuildRuntime(options),
            AllowNetwork = options.AllowNetwork,
            HttpClient = options.HttpClient,
            PrintSink = options.Print,
        };
        long deadline = options.Timeout is { } t ? Stopwatch.GetTimestamp() + (long)(t.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        var ev = new Evaluator(_policy.Root, ctx);
        ev.Reset(input, options.MaxDepth, deadline, options.CancellationToken);
        var items = new List<QueryResultItem>();
        var frame = new RegoValue?[_slots];
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
        return new QueryResult(items);
    }

    private static RegoValue BuildRuntime(EvaluationOptions options)
    {
        var env = options.Environment is null
            ? RegoObject.Empty
            : RegoObject.Create(options.Environment.Select(kv => new KeyValuePair<string, RegoValue>(kv.Key, RegoString.Create(kv.Value))));
        return RegoObject.Create(new[]
        {
            new KeyValuePair<string, RegoValue>("env", env),
            new KeyValuePair<string, RegoValue>("version", RegoString.Create("1.0.0-higress")),
        });
    }
}
