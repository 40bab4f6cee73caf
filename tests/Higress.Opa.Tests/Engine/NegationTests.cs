using Higress.Opa.Values;

namespace Higress.Opa.Tests.Engine;

/// <summary>
/// <c>not</c> as OPA compiles it: nested calls, and refs used as call operands, are evaluated before the negation, so
/// an undefined one fails the body.
/// </summary>
public sealed class NegationTests
{
    private static bool Defined(string body, object? input = null) =>
        new PolicyCompiler().AddModule("t.rego", $"package t\n\np if {{\n\t{body}\n}}\n").Compile()
            .PrepareQuery("data.t.p").Evaluate(input).IsDefined;

    private static readonly Dictionary<string, object?> Input = new()
    {
        ["name"] = "alice",
        ["roles"] = new[] { "reader" },
        ["obj"] = new Dictionary<string, object?> { ["a"] = 1 },
    };

    [Theory]
    [InlineData("not startswith(input.missing, \"a\")")]
    [InlineData("not upper(lower(input.missing)) == \"X\"")]
    [InlineData("not count(input.missing) == 0")]
    [InlineData("not \"admin\" in input.missing")]
    [InlineData("not input.missing != 1")]
    [InlineData("not startswith(input.name, input.missing)")]
    [InlineData("not input.obj[input.missing] == 1")]
    [InlineData("not [input.missing] == [1]")]
    public void UndefinedHoistedOperand_FailsTheBody(string body) => Assert.False(Defined(body, Input));

    [Theory]
    [InlineData("not input.obj.missing == 1")]
    [InlineData("not input.missing == 1")]
    [InlineData("not input.missing")]
    [InlineData("not input.obj.missing")]
    [InlineData("not startswith(input.name, \"b\")")]
    [InlineData("not \"admin\" in input.roles")]
    [InlineData("not count(input.roles) == 2")]
    [InlineData("not f(input.name)")]
    [InlineData("not input.missing = 1")]
    public void DefinedOperands_OrUnification_KeepTheNegation(string body) => Assert.True(Defined(body + "\n}\n\nf(x) if {\n\tx == \"bob\"", Input));

    [Fact]
    public void BuiltinErrorInANestedCall_FailsTheBodyWithoutStrictErrors()
    {
        Assert.False(Defined("not to_number(\"x\") == 1"));
        Assert.True(Defined("not to_number(\"2\") == 1"));
    }

    [Fact]
    public void ElseHeadThatIsUndefined_FallsThroughToTheNextElse()
    {
        const string module = """
            package t

            r := input.missing if {
            	true
            } else := upper(input.absent) if {
            	true
            } else := "fallback"

            f(x) := input.nope[x] if {
            	true
            } else := x

            g(x) := y if {
            	y := input.nope[x]
            } else := "second"

            fk := f("k")

            gk := g("k")
            """;
        var policy = new PolicyCompiler().AddModule("t.rego", module).Compile();
        Assert.Equal(RegoValue.String("fallback"), policy.PrepareQuery("data.t.r").Evaluate((object?)null).Value);
        Assert.Equal(RegoValue.String("k"), policy.PrepareQuery("data.t.fk").Evaluate((object?)null).Value);
        Assert.Equal(RegoValue.String("second"), policy.PrepareQuery("data.t.gk").Evaluate((object?)null).Value);
    }
}
