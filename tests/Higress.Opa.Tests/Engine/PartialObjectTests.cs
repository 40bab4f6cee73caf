using Higress.Opa.Values;

namespace Higress.Opa.Tests.Engine;

/// <summary>Looking up one key of a partial object rule evaluates that key only (OPA's behaviour).</summary>
public sealed class PartialObjectTests
{
    private const string Module = """
        package t

        p["a"] := 1

        p["b"] := input.x

        p["b"] := input.y

        p[k] := v if {
        	some k, v in input.m
        }

        q[k] := v if {
        	some k, v in input.m
        }

        q[k] := 0 if {
        	some k in input.dups
        }

        direct := p.a

        bracket := p["c"]

        via_var := p[k] if k := "a"

        missing := p.nope

        conflict := p.b

        whole := p
        """;

    private static readonly Dictionary<string, object?> Input = new()
    {
        ["x"] = 1,
        ["y"] = 2,
        ["m"] = new Dictionary<string, object?> { ["c"] = 3, ["a"] = 1, ["dup"] = 5 },
        ["dups"] = new[] { "dup" },
    };

    private static QueryResult Query(string name) =>
        new PolicyCompiler().AddModule("t.rego", Module).Compile().PrepareQuery("data.t." + name).Evaluate(Input);

    [Theory]
    [InlineData("direct", 1)]
    [InlineData("bracket", 3)]
    [InlineData("via_var", 1)]
    [InlineData("p.a", 1)]
    [InlineData("p[\"c\"]", 3)]
    [InlineData("q.c", 3)]
    [InlineData("q[\"a\"]", 1)]
    public void OneKey_IgnoresAConflictOnAnotherKey(string query, long expected) =>
        Assert.Equal(RegoValue.FromObject(expected), Query(query).Value);

    [Fact]
    public void MissingKey_IsUndefined() => Assert.False(Query("missing").IsDefined);

    [Theory]
    [InlineData("conflict")]
    [InlineData("whole")]
    [InlineData("p")]
    [InlineData("q.dup")]
    [InlineData("q")]
    public void TheConflictingKeyOrTheWholeObject_StillRaiseTheConflict(string query)
    {
        var e = Assert.Throws<RegoException>(() => Query(query));
        Assert.Equal(RegoErrorCodes.EvalConflictError, e.Code);
    }
}
