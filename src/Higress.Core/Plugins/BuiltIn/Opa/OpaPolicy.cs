using Higress.Opa;

namespace Higress.Core.Plugins.BuiltIn.Opa;

/// <summary>
/// One compiled version of a policy and its prepared decision query. Immutable: a reload builds a new one and swaps the
/// reference, so a request that read it decides entirely on that version.
/// </summary>
internal sealed class OpaPolicy
{
    private OpaPolicy(PreparedQuery query, string revision)
    {
        Query = query;
        Revision = revision;
    }

    /// <summary>The decision query, <c>data.&lt;policy&gt;</c>.</summary>
    public PreparedQuery Query { get; }

    /// <summary>Where this version came from (source and a counter, or a bundle's ETag), for logs.</summary>
    public string Revision { get; }

    /// <summary>Compiles what <paramref name="load"/> adds and prepares the decision query; throws <see cref="RegoException"/>.</summary>
    public static OpaPolicy Compile(Action<PolicyCompiler> load, OpaDecisionPath path, string revision)
    {
        var compiler = new PolicyCompiler();
        load(compiler);
        return new OpaPolicy(compiler.Compile().PrepareQuery(path.Query), revision);
    }

    /// <summary>Prepares the decision query on a policy compiled already.</summary>
    public static OpaPolicy From(CompiledPolicy compiled, OpaDecisionPath path, string revision) =>
        new(compiled.PrepareQuery(path.Query), revision);

    /// <summary><c>file:line:col: message</c> for a compile error (the engine's locations are 1-based).</summary>
    public static string Describe(RegoException error) =>
        error.Location is { } location ? $"{location}: {error.Code}: {error.Message}" : $"{error.Code}: {error.Message}";
}
