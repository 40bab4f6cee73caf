using System.Security.Cryptography;
using System.Text;
using Higress.Opa.Values;

namespace Higress.Opa.Tests.Engine;

/// <summary>JWT verification with a key set, as OPA does it: a <c>kid</c> that names a key selects that key alone.</summary>
public sealed class JwtKidTests : IDisposable
{
    private readonly RSA _a = RSA.Create(2048);
    private readonly RSA _b = RSA.Create(2048);

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Jwk(RSA key, string kid)
    {
        var p = key.ExportParameters(false);
        return $$"""{"kty":"RSA","kid":"{{kid}}","n":"{{B64(p.Modulus!)}}","e":"{{B64(p.Exponent!)}}"}""";
    }

    private string Jwks => $$"""{"keys":[{{Jwk(_a, "a")}},{{Jwk(_b, "b")}}]}""";

    private static string Token(RSA signer, string headerJson)
    {
        string input = B64(Encoding.UTF8.GetBytes(headerJson)) + "." + B64(Encoding.UTF8.GetBytes("""{"sub":"alice"}"""));
        byte[] sig = signer.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return input + "." + B64(sig);
    }

    private RegoValue? Eval(string expr, string token, bool strict = false) =>
        new PolicyCompiler().AddModule("t.rego", $"package t\n\nv := {expr}\n").Compile().PrepareQuery("data.t.v")
            .Evaluate(new Dictionary<string, object?> { ["token"] = token, ["jwks"] = Jwks }, new EvaluationOptions { StrictBuiltinErrors = strict }).Value;

    [Theory]
    [InlineData("""{"alg":"RS256","kid":"a"}""", true)]
    [InlineData("""{"alg":"RS256","kid":"b"}""", false)]
    [InlineData("""{"alg":"RS256","kid":"unknown"}""", true)]
    [InlineData("""{"alg":"RS256"}""", true)]
    public void KidNamingAKey_TriesOnlyThatKey(string header, bool verified)
    {
        string token = Token(_a, header);
        Assert.Equal(RegoValue.Boolean(verified), Eval("io.jwt.verify_rs256(input.token, input.jwks)", token));
        Assert.Equal(RegoValue.Boolean(verified), Eval("io.jwt.decode_verify(input.token, {\"cert\": input.jwks})[0]", token));
    }

    [Theory]
    [InlineData("""{"alg":"RS256","kid":7}""", "kid: must be a string")]
    [InlineData("""{"alg":"RS256","typ":true}""", "typ: must be a string")]
    [InlineData("""{"alg":"RS256","cty":["JWT"]}""", "cty: must be a string")]
    [InlineData("""{"alg":1}""", "alg: must be a string")]
    public void NonStringHeaderField_IsABuiltinError(string header, string message)
    {
        string token = Token(_a, header);
        foreach (var expr in new[] { "io.jwt.verify_rs256(input.token, input.jwks)", "io.jwt.decode_verify(input.token, {\"cert\": input.jwks})" })
        {
            Assert.Null(Eval(expr, token));
            var e = Assert.Throws<RegoException>(() => Eval(expr, token, strict: true));
            Assert.Equal(RegoErrorCodes.EvalBuiltinError, e.Code);
            Assert.Contains(message, e.Message, StringComparison.Ordinal);
        }
    }
}
