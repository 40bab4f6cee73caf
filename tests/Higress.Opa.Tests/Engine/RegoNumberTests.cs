using Higress.Opa.Values;

namespace Higress.Opa.Tests.Engine;

/// <summary>Numbers as OPA has them: literal text kept, integers exact, other arithmetic as Go's big.Float (64-bit mantissa).</summary>
public sealed class RegoNumberTests
{
    private static string Eval(string expression) =>
        ((RegoString)new PolicyCompiler().AddModule("t.rego", "package t\n\np := json.marshal(" + expression + ")\n")
            .Compile().PrepareQuery("data.t.p").Evaluate(null).Value!).Value;

    [Theory]
    [InlineData("1.0", "1.0")]
    [InlineData("-0.0", "-0.0")]
    [InlineData("1.5e3", "1.5e3")]
    [InlineData("12.50", "12.50")]
    [InlineData("[1.0, 2.50]", "[1.0,2.50]")]
    [InlineData("to_number(\"1.50\")", "1.50")]
    [InlineData("to_number(\"+2\")", "+2")]
    [InlineData("{\"a\": 2.50}", "{\"a\":2.50}")]
    public void Literals_KeepTheirText(string expression, string json) => Assert.Equal(json, Eval(expression));

    [Theory]
    [InlineData("10 / 3", "3.3333333333333333333")]
    [InlineData("round(1.005 * 100)", "101")]
    [InlineData("747.485 + 1180", "1927.485")]
    [InlineData("9007199254740993 / 2", "4.5035996273704965e+15")]
    [InlineData("0.1 + 0.2", "0.3")]
    [InlineData("1 / 4", "0.25")]
    [InlineData("6 / 3", "2")]
    [InlineData("1.5 * 2", "3")]
    [InlineData("10.00 + 5", "15")]
    [InlineData("1e30 + 1", "1000000000000000000000000000001")]
    [InlineData("2 / 3", "0.6666666666666666667")]
    [InlineData("1 / 3 * 3", "1")]
    [InlineData("0.000001 / 3", "3.3333333333333333335e-07")]
    [InlineData("1.1 - 1", "0.10000000000000000002")]
    [InlineData("round(2.5)", "3")]
    [InlineData("round(-2.5)", "-3")]
    [InlineData("round(10.00)", "10")]
    [InlineData("floor(-1.5)", "-2")]
    [InlineData("ceil(1.2)", "2")]
    [InlineData("abs(-2.50)", "2.5")]
    [InlineData("abs(-1.0)", "1")]
    [InlineData("sum([0.1, 0.2, 0.3])", "0.6")]
    // cross-checked against an exact rational model of 64-bit round-to-nearest-even and Go's shortest formatting
    [InlineData("0.00000000836 + -6623.6101", "-6623.6100999916400003")]
    [InlineData("9809507260218814804.55 / 0.0000000600", "163491787670313580080000000")]
    [InlineData("0.0000255 * -2001.9411", "-0.051049498050000000004")]
    [InlineData("0.00000609 * 1269452488991334250.12", "7.730965657957225583e+12")]
    [InlineData("4026222987624456960.99 - 0.00757", "4026222987624456961")]
    [InlineData("0.964 + 3100945381023167017.79", "3.1009453810231670188e+18")]
    [InlineData("0 / -5", "-0")]
    // OPA's ceil and floor decide on the sign of the truncated value, which is +0 for anything in (-1, 0)
    [InlineData("ceil(-0.5)", "1")]
    [InlineData("floor(-0.5)", "0")]
    public void Arithmetic_IsGoBigFloat(string expression, string json) => Assert.Equal(json, Eval(expression));

    [Fact]
    public void HalfOfAnOddIntegerBeyondDoubles_IsExact()
    {
        var n = RegoNumber.Divide(RegoNumber.TryParse("9007199254740993")!, RegoNumber.FromInt64(2))!;
        Assert.Equal(RegoNumber.TryParse("4503599627370496.5"), n);
        Assert.NotEqual(RegoNumber.TryParse("4503599627370496"), n);
    }

    [Theory]
    [InlineData("1", "1.0")]
    [InlineData("1", "1e0")]
    [InlineData("100", "1.00e2")]
    [InlineData("3.5", "3.50")]
    [InlineData("0", "-0.0")]
    public void EqualNumbers_AreEqual_WhateverTheirText(string a, string b)
    {
        var x = RegoNumber.TryParse(a)!;
        var y = RegoNumber.TryParse(b)!;
        Assert.Equal(x, y);
        Assert.Equal(0, RegoValue.Compare(x, y));
        Assert.Equal(x.GetHashCode(), y.GetHashCode());
        Assert.Equal("true", Eval($"{a} == {b}"));
        Assert.Equal("1", Eval($"count({{{a}, {b}}})"));
    }

    [Fact]
    public void ADoubleFromABuiltin_EqualsTheSameDecimalLiteral()
    {
        var d = RegoNumber.FromDouble(1.5);
        var literal = RegoNumber.TryParse("1.5")!;
        Assert.Equal(literal, d);
        Assert.Equal(literal.GetHashCode(), d.GetHashCode());
    }

    [Theory]
    [InlineData("1.0", "%d", "%!d(float64=1)")]
    [InlineData("1", "%d", "1")]
    [InlineData("1.50", "%v", "1.5")]
    [InlineData("to_number(\"2.0\")", "%v", "2")]
    [InlineData("to_number(\"2\")", "%d", "2")]
    public void Sprintf_FormatsFromTheText(string value, string format, string expected) =>
        Assert.Equal("\"" + expected + "\"", Eval($"sprintf(\"{format}\", [{value}])"));
}
