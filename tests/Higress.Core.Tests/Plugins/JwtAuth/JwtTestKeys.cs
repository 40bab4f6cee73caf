using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Higress.Tests.Jwt;

/// <summary>
/// Real keys for jwt-auth tests, generated per test run: RSA, EC (P-256/384/521) and HMAC, their JSON Web Key Set
/// (public parts only, plus oct keys), and tokens signed with JsonWebTokenHandler. Shared by the Core and end-to-end tests.
/// </summary>
internal sealed class JwtTestKeys : IDisposable
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>One set for tests that only read keys (key generation is slow on a busy machine).</summary>
    public static JwtTestKeys Shared { get; } = new();

    public JwtTestKeys(string kidPrefix = "k")
    {
        Rsa = RSA.Create(2048);
        Ec256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Ec384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        Ec521 = ECDsa.Create(ECCurve.NamedCurves.nistP521);
        Hmac = RandomNumberGenerator.GetBytes(64);
        RsaKid = kidPrefix + "-rsa";
        Ec256Kid = kidPrefix + "-ec256";
        Ec384Kid = kidPrefix + "-ec384";
        Ec521Kid = kidPrefix + "-ec521";
        HmacKid = kidPrefix + "-hmac";
    }

    public RSA Rsa { get; }

    public ECDsa Ec256 { get; }

    public ECDsa Ec384 { get; }

    public ECDsa Ec521 { get; }

    public byte[] Hmac { get; }

    public string RsaKid { get; }

    public string Ec256Kid { get; }

    public string Ec384Kid { get; }

    public string Ec521Kid { get; }

    public string HmacKid { get; }

    /// <summary>The public key set; with <paramref name="withHmac"/> the oct key too (only for inline jwks).</summary>
    public string Jwks(bool withHmac = true)
    {
        var keys = new List<string> { RsaJwk(Rsa, RsaKid), EcJwk(Ec256, Ec256Kid, "P-256"), EcJwk(Ec384, Ec384Kid, "P-384"), EcJwk(Ec521, Ec521Kid, "P-521") };
        if (withHmac)
        {
            keys.Add($$"""{"kty":"oct","kid":"{{HmacKid}}","k":"{{Base64UrlEncoder.Encode(Hmac)}}"}""");
        }

        return "{\"keys\":[" + string.Join(",", keys) + "]}";
    }

    /// <summary>The signing key and kid for an algorithm name such as RS256, PS384, ES512 or HS256.</summary>
    public SigningCredentials Credentials(string alg) => alg[..2] switch
    {
        "RS" or "PS" => new SigningCredentials(new RsaSecurityKey(Rsa) { KeyId = RsaKid }, alg),
        "ES" => alg switch
        {
            "ES256" => new SigningCredentials(new ECDsaSecurityKey(Ec256) { KeyId = Ec256Kid }, alg),
            "ES384" => new SigningCredentials(new ECDsaSecurityKey(Ec384) { KeyId = Ec384Kid }, alg),
            _ => new SigningCredentials(new ECDsaSecurityKey(Ec521) { KeyId = Ec521Kid }, alg),
        },
        _ => new SigningCredentials(new SymmetricSecurityKey(Hmac) { KeyId = HmacKid }, alg),
    };

    /// <summary>A token: by default valid for an hour from a minute ago, RS256, issuer example.com, subject alice.</summary>
    public string Token(
        string alg = "RS256",
        string issuer = "example.com",
        string? subject = "alice",
        string? audience = null,
        DateTime? expires = null,
        DateTime? notBefore = null,
        IDictionary<string, object>? claims = null,
        SigningCredentials? credentials = null)
    {
        var now = DateTime.UtcNow;
        var payload = new Dictionary<string, object>(claims ?? new Dictionary<string, object>());
        if (subject is not null)
        {
            payload["sub"] = subject;
        }

        var notBeforeTime = notBefore ?? now.AddMinutes(-1);
        var expiresTime = expires ?? now.AddHours(1);
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = payload,
            NotBefore = notBeforeTime,
            IssuedAt = notBeforeTime < expiresTime ? notBeforeTime : expiresTime.AddMinutes(-1),
            Expires = expiresTime,
            SigningCredentials = credentials ?? Credentials(alg),
        });
    }

    /// <summary>An unsigned token (<c>alg: none</c>) with the given payload.</summary>
    public static string Unsigned(string payloadJson) =>
        Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""") + "." + Base64UrlEncoder.Encode(payloadJson) + ".";

    /// <summary>The token with its payload replaced (the signature kept): a tampered token.</summary>
    public static string WithPayload(string token, string payloadJson)
    {
        var parts = token.Split('.');
        return parts[0] + "." + Base64UrlEncoder.Encode(payloadJson) + "." + parts[2];
    }

    /// <summary>
    /// An HS256 token whose HMAC key is the RSA public key (PEM) and whose kid is the RSA key's: the algorithm-confusion
    /// attack on verifiers that hand a public key to HMAC.
    /// </summary>
    public string AlgorithmConfusion()
    {
        var publicKey = Encoding.UTF8.GetBytes(Rsa.ExportSubjectPublicKeyInfoPem());
        return Token(credentials: new SigningCredentials(new SymmetricSecurityKey(publicKey) { KeyId = RsaKid }, SecurityAlgorithms.HmacSha256));
    }

    private static string RsaJwk(RSA rsa, string kid)
    {
        var p = rsa.ExportParameters(false);
        return $$"""{"kty":"RSA","kid":"{{kid}}","use":"sig","n":"{{Base64UrlEncoder.Encode(p.Modulus)}}","e":"{{Base64UrlEncoder.Encode(p.Exponent)}}"}""";
    }

    private static string EcJwk(ECDsa ec, string kid, string curve)
    {
        var p = ec.ExportParameters(false);
        return $$"""{"kty":"EC","kid":"{{kid}}","crv":"{{curve}}","x":"{{Base64UrlEncoder.Encode(p.Q.X)}}","y":"{{Base64UrlEncoder.Encode(p.Q.Y)}}"}""";
    }

    public void Dispose()
    {
        Rsa.Dispose();
        Ec256.Dispose();
        Ec384.Dispose();
        Ec521.Dispose();
    }
}

/// <summary>
/// A JWKS endpoint on a real Kestrel server on 127.0.0.1: <see cref="Jwks"/> is what it serves (changeable for key
/// rotation), <see cref="Failing"/> makes it answer 500, and it can be started late on a port chosen in advance.
/// </summary>
internal sealed class JwksServer : IAsyncDisposable
{
    private WebApplication? _app;

    public JwksServer(string jwks, int port = 0)
    {
        Jwks = jwks;
        Port = port;
    }

    /// <summary>The key set served at <c>/.well-known/jwks.json</c>.</summary>
    public string Jwks { get; set; }

    /// <summary>True to answer 500 (an endpoint that fails).</summary>
    public bool Failing { get; set; }

    /// <summary>How many key-set requests it answered.</summary>
    public int Requests => _requests;

    private int _requests;

    public int Port { get; private set; }

    public string Uri => $"http://127.0.0.1:{Port}/.well-known/jwks.json";

    /// <summary>Starts on <see cref="Port"/> (0: one the OS picks).</summary>
    public async Task<JwksServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, Port));
        var app = builder.Build();
        app.Run(async context =>
        {
            Interlocked.Increment(ref _requests);
            if (Failing)
            {
                context.Response.StatusCode = 500;
                return;
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(Jwks);
        });
        await app.StartAsync();
        Port = new System.Uri(app.Urls.Single()).Port;
        _app = app;
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
