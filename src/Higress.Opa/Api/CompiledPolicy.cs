using Higress.Opa.Builtins;
using Higress.Opa.Compilation;
using Higress.Opa.Syntax;
using Higress.Opa.Values;

namespace Higress.Opa;

/// <summary>A compiled set of modules and data. Immutable and thread-safe; prepare queries from it.</summary>
public sealed class CompiledPolicy
{
    private readonly Compiler _compiler;

    internal CompiledPolicy(Compiler compiler, BuiltinRegistry builtins, RegoObject data)
    {
        _compiler = compiler;
        Builtins = builtins;
        Data = data;
    }

    internal DataNode Root => _compiler.Root;

    internal BuiltinRegistry Builtins { get; }

    /// <summary>The base data document.</summary>
    public RegoObject Data { get; }

    /// <summary>
    /// Prepares a query such as <c>data.envoy.authz.allow</c> or <c>x := data.a[_]; x &gt; 1</c>. A query made of a single
    /// term yields that term's value in <see cref="QueryResultItem.Value"/>; query variables are in <see cref="QueryResultItem.Bindings"/>.
    /// </summary>
    public PreparedQuery PrepareQuery(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var body = new Parser("query", query).ParseQuery();
        bool single = false;
        if (body.Exprs.Count == 1 && body.Exprs[0] is { Kind: ExprKind.Term, Negated: false } e && e.A is not CallTerm)
        {
            e.Kind = ExprKind.Unify;
            e.B = e.A;
            e.A = new VarTerm(e.Loc, PreparedQuery.ResultVar);
            single = true;
        }
        var scope = new ModuleScope(new ModuleAst("query"));
        var resolver = new Resolver(Builtins, Root);
        int slots = resolver.ResolveQuery(scope, body, out var resolved);
        Safety.CheckQuery(resolved);
        var vars = resolver.QueryVars
            .Where(kv => !kv.Key.StartsWith("__", StringComparison.Ordinal) && !kv.Key.StartsWith('_'))
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => (kv.Key, kv.Value))
            .ToArray();
        int resultSlot = single && resolver.QueryVars.TryGetValue(PreparedQuery.ResultVar, out int rs) ? rs : -1;
        return new PreparedQuery(this, resolved, slots, vars, resultSlot);
    }
}
