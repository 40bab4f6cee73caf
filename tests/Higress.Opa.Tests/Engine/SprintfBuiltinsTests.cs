using Higress.Opa.Values;

namespace Higress.Opa.Tests.Engine;

/// <summary>sprintf's Go fmt corner cases, as OPA prints them.</summary>
public sealed class SprintfBuiltinsTests
{
    private static string Sprintf(string format, string args) =>
        ((RegoString)new PolicyCompiler().AddModule("t.rego", $"package t\n\np := sprintf({format}, {args})\n")
            .Compile().PrepareQuery("data.t.p").Evaluate(null).Value!).Value;

    [Theory]
    [InlineData("\"%d\"", "[1.0]", "%!d(float64=1)")]
    [InlineData("\"%5d\"", "[1.5]", "%!d(float64=  1.5)")]
    [InlineData("\"%-5d|\"", "[1.5]", "%!d(float64=1.5  )|")]
    [InlineData("\"%+d\"", "[1.5]", "%!d(float64=+1.5)")]
    [InlineData("\"%05d\"", "[-1.5]", "%!d(float64=-01.5)")]
    [InlineData("\"%.3d\"", "[3.14159]", "%!d(float64=3.14)")]
    [InlineData("\"%s\"", "[1]", "%!s(int64=1)")]
    [InlineData("\"%f\"", "[2]", "%!f(int64=2)")]
    [InlineData("\"%4f\"", "[2]", "%!f(int64=   2)")]
    [InlineData("\"%f\"", "[100000000000000000000000]", "%!f(big.Int=100000000000000000000000)")]
    [InlineData("\"%d\"", "[\"ab\"]", "%!d(string=ab)")]
    [InlineData("\"%T %T %T\"", "[1, 1.5, \"s\"]", "int64 float64 string")]
    public void ABadVerb_PrintsTheOperandWithTheSameFlags(string format, string args, string expected) =>
        Assert.Equal(expected, Sprintf(format, args));

    [Theory]
    [InlineData("\"%x\"", "[1.5]", "0x1.8p+00")]
    [InlineData("\"%x\"", "[1.0]", "0x1p+00")]
    [InlineData("\"%X\"", "[255.0]", "0X1.FEP+07")]
    [InlineData("\"%x\"", "[-0.1]", "-0x1.999999999999ap-04")]
    [InlineData("\"%.1x\"", "[1.96875]", "0x1.0p+01")]
    [InlineData("\"%.1x\"", "[1.90625]", "0x1.ep+00")]
    [InlineData("\"%x\"", "[0.0]", "0x0p+00")]
    [InlineData("\"%x\"", "[255]", "ff")]
    public void HexOfAFloat_IsGoHexFloat(string format, string args, string expected) =>
        Assert.Equal(expected, Sprintf(format, args));

    [Theory]
    [InlineData("\"%v\"", "[1.0]", "1")]
    [InlineData("\"%v\"", "[1e3]", "1000")]
    [InlineData("\"%d\"", "[1e3]", "%!d(float64=1000)")]
    [InlineData("\"%v\"", "[12.50]", "12.5")]
    [InlineData("\"%.2f\"", "[10 / 3]", "3.33")]
    [InlineData("\"%v\"", "[18446744073709551616]", "18446744073709551616")]
    [InlineData("\"%08.3f\"", "[-3.14159]", "-003.142")]
    [InlineData("\"%06d\"", "[-42]", "-00042")]
    [InlineData("\"%6.3d\"", "[7]", "   007")]
    [InlineData("\"%[2]s-%[1]s\"", "[\"a\", \"b\"]", "b-a")]
    [InlineData("\"%[3]d\"", "[1]", "%!d(BADINDEX)")]
    [InlineData("\"%#v\"", "[\"a\\\"b\"]", "\"a\\\"b\"")]
    [InlineData("\"% x|%#x|% #x\"", "[\"ab\", \"ab\", \"ab\"]", "61 62|0x6162|0x61 0x62")]
    public void NumberFormatting_FollowsTheText(string format, string args, string expected) =>
        Assert.Equal(expected, Sprintf(format, args));
}
