using System.Text;
using Higress.Opa.Values;

namespace Higress.Opa.Tests.Engine;

public sealed class EvaluationTests
{
    private static RegoValue? Eval(string module, string query, object? input = null, EvaluationOptions? options = null) =>
        new PolicyCompiler().AddModule("t.rego", module).Compile().PrepareQuery(query).Evaluate(input, options).Value;

    [Fact]
    public void IndexedRules_GiveTheSameAnswersAsUnindexedOnes()
    {
        var sb = new StringBuilder("package idx\n\n");
        for (int i = 0; i < 40; i++)
        {
            sb.Append($"allow if {{\n\tinput.path == \"/p/{i}\"\n\tinput.method == \"GET\"\n}}\n\n");
        }
        sb.Append("allow if input.admin\n\nhits contains input.path if allow\n");
        var policy = new PolicyCompiler().AddModule("idx.rego", sb.ToString()).Compile();
        var q = policy.PrepareQuery("data.idx.allow");
        Assert.True(q.Evaluate(new Dictionary<string, object?> { ["path"] = "/p/17", ["method"] = "GET" }).IsTrue);
        Assert.False(q.Evaluate(new Dictionary<string, object?> { ["path"] = "/p/17", ["method"] = "POST" }).IsDefined);
        Assert.False(q.Evaluate(new Dictionary<string, object?> { ["path"] = "/p/99", ["method"] = "GET" }).IsDefined);
        Assert.True(q.Evaluate(new Dictionary<string, object?> { ["path"] = "/p/99", ["admin"] = true }).IsTrue);
    }

    [Fact]
    public void ConstantOperandOfTheWrongType_IsACompileTimeTypeError()
    {
        var e = Assert.Throws<RegoException>(() => new PolicyCompiler().AddModule("t.rego", "package t\n\np := 1 + \"a\"\n").Compile());
        Assert.Equal(RegoErrorCodes.TypeError, e.Code);
        Assert.Contains("plus: operand 2 must be number but got string", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BuiltinErrors_AreUndefinedUnlessStrict()
    {
        const string module = "package t\n\np := x if x := input.a / input.b\n";
        var input = new Dictionary<string, object?> { ["a"] = 1, ["b"] = 0 };
        Assert.Null(Eval(module, "data.t.p", input));
        var e = Assert.Throws<RegoException>(() => Eval(module, "data.t.p", input, new EvaluationOptions { StrictBuiltinErrors = true }));
        Assert.Equal(RegoErrorCodes.EvalBuiltinError, e.Code);
        Assert.Equal("div: divide by zero", e.Message);
    }

    [Fact]
    public void ConflictingCompleteRules_RaiseConflictError()
    {
        var e = Assert.Throws<RegoException>(() => Eval("package t\n\np := 1 if input.x\np := 2 if input.x\n", "data.t.p", new Dictionary<string, object?> { ["x"] = true }));
        Assert.Equal(RegoErrorCodes.EvalConflictError, e.Code);
    }

    [Fact]
    public void With_ReplacesInputDataAndFunctions()
    {
        const string module = """
            package t

            f(x) := x * 2

            p := f(input.n) + data.k

            q := x if x := p with input.n as 10 with data.k as 1

            r := x if x := p with f as g with input.n as 1 with data.k as 0

            g(x) := x + 100
            """;
        var policy = new PolicyCompiler().AddModule("t.rego", module).AddDataJson("{\"k\": 5}").Compile();
        Assert.Equal(RegoValue.Number(21), policy.PrepareQuery("data.t.q").Evaluate((object?)null).Value);
        Assert.Equal(RegoValue.Number(101), policy.PrepareQuery("data.t.r").Evaluate((object?)null).Value);
        Assert.Equal(RegoValue.Number(9), policy.PrepareQuery("data.t.p").Evaluate(new Dictionary<string, object?> { ["n"] = 2 }).Value);
    }

    [Fact]
    public void BigNumbers_StayExact()
    {
        Assert.Equal("18446744073709551617", Eval("package t\n\np := 18446744073709551616 + 1\n", "data.t.p")!.ToString());
        Assert.Equal(RegoValue.True, Eval("package t\n\np := 1e400 > 1e399\n", "data.t.p"));
        Assert.Equal(RegoValue.True, Eval("package t\n\np := 0.1234567890123456789 > 0.1234567890123456788\n", "data.t.p"));
    }
}
