namespace Higress.Opa.Tests.Engine;

public sealed class ParserTests
{
    [Fact]
    public void ParseError_CarriesFileLineAndColumn()
    {
        var e = Assert.Throws<RegoException>(() => PolicyCompiler.Parse("policies/authz.rego", "package authz\n\nallow if {\n    input.x == \n}\n"));
        Assert.Equal(RegoErrorCodes.ParseError, e.Code);
        Assert.NotNull(e.Location);
        Assert.Equal("policies/authz.rego", e.Location!.File);
        Assert.Equal(5, e.Location.Line);
        Assert.Equal(1, e.Location.Column);
        Assert.StartsWith("policies/authz.rego:5:1: rego_parse_error", e.FullMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void IllegalToken_ReportsColumn()
    {
        var e = Assert.Throws<RegoException>(() => PolicyCompiler.Parse("a.rego", "package a\np := 1 ^ 2\n"));
        Assert.Equal(RegoErrorCodes.ParseError, e.Code);
        Assert.Equal(2, e.Location!.Line);
        Assert.Equal(8, e.Location.Column);
    }

    [Fact]
    public void HostileNesting_IsAParseError_NotACrash()
    {
        string deep = "package d\np := " + new string('[', 100_000) + new string(']', 100_000) + "\n";
        var e = Assert.Throws<RegoException>(() => PolicyCompiler.Parse("d.rego", deep));
        Assert.Equal(RegoErrorCodes.ParseError, e.Code);
        Assert.Contains("nesting", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingPackage_IsParseError()
    {
        var e = Assert.Throws<RegoException>(() => PolicyCompiler.Parse("x.rego", "allow := true\n"));
        Assert.Equal(RegoErrorCodes.ParseError, e.Code);
        Assert.Equal(1, e.Location!.Line);
    }

    [Fact]
    public void UnsafeVariable_IsReportedWithLocation()
    {
        var e = Assert.Throws<RegoException>(() => new PolicyCompiler().AddModule("u.rego", "package u\n\np if {\n\tx > 1\n}\n").Compile());
        Assert.Equal(RegoErrorCodes.UnsafeVarError, e.Code);
        Assert.Equal("var x is unsafe", e.Message);
        Assert.Equal(4, e.Location!.Line);
        Assert.Equal(2, e.Location.Column);
    }

    [Fact]
    public void Recursion_IsCompileError()
    {
        var e = Assert.Throws<RegoException>(() => new PolicyCompiler().AddModule("r.rego", "package r\n\np if q\nq if p\n").Compile());
        Assert.Equal(RegoErrorCodes.RecursionError, e.Code);
        Assert.Contains("data.r.p", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownFunction_IsTypeError()
    {
        var e = Assert.Throws<RegoException>(() => new PolicyCompiler().AddModule("f.rego", "package f\n\np := no_such_function(1)\n").Compile());
        Assert.Equal(RegoErrorCodes.TypeError, e.Code);
        Assert.Equal(3, e.Location!.Line);
    }

    [Fact]
    public void Rego_V1_Keywords_And_Imports_Are_Accepted()
    {
        const string src = """
            package k
            import rego.v1
            import future.keywords.in
            import future.keywords

            xs contains x if some x in [1, 2, 3]
            all_small if every x in xs { x < 10 }
            pairs[k] := v if some k, v in {"a": 1}
            """;
        var policy = new PolicyCompiler().AddModule("k.rego", src).Compile();
        Assert.True(policy.PrepareQuery("data.k.all_small").Evaluate((object?)null).IsTrue);
        Assert.Equal("{\"a\": 1}", policy.PrepareQuery("data.k.pairs").Evaluate((object?)null).Value!.ToString());
    }
}
