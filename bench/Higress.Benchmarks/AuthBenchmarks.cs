using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Higress.Benchmarks;

/// <summary>
/// The per-request cost of the authentication plugins, through <see cref="Higress.Hosting.Runtime.HigressMiddleware"/>
/// on a real plan (forwarding stubbed out, see <see cref="MiddlewareHarness"/>): the same request on a plain route, on a
/// route with key-auth and on routes with jwt-auth (keys cached, HS256 and RS256 tokens). A plugin's cost is its row
/// minus <see cref="PlainRoute"/>.
/// </summary>
[MemoryDiagnoser]
public class AuthBenchmarks
{
    private const int Routes = 10;
    private ReloadHost? _host;
    private MiddlewareHarness? _harness;
    private DefaultHttpContext _plain = new();
    private DefaultHttpContext _keyAuth = new();
    private DefaultHttpContext _jwtHs256 = new();
    private DefaultHttpContext _jwtRs256 = new();

    [GlobalSetup]
    public void Setup()
    {
        var keyAuthRoute = BenchWorkload.SecondPlain(Routes);
        var jwtRoute = PlainAfter(keyAuthRoute);
        var hmacKey = RandomNumberGenerator.GetBytes(32);
        using var rsa = RSA.Create(2048);
        var rsaKey = new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: true)) { KeyId = "rsa" };
        var jwks = JsonSerializer.Serialize(new
        {
            keys = new object[]
            {
                new { kty = "oct", kid = "hmac", alg = "HS256", k = Base64UrlEncoder.Encode(hmacKey) },
                new { kty = "RSA", kid = "rsa", alg = "RS256", n = Base64UrlEncoder.Encode(rsaKey.Parameters.Modulus), e = Base64UrlEncoder.Encode(rsaKey.Parameters.Exponent) },
            },
        });
        var extensions = BenchWorkload.KeyAuthYaml(keyAuthRoute) + "---\n" + JwtAuthYaml(jwtRoute, jwks);
        var parsed = ResourceParser.Parse(extensions, new ResourceOrigin("bench-auth", null, 0, 0));
        if (parsed.Diagnostics.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", parsed.Diagnostics));
        }

        _host = ReloadHost.StartAsync([.. BenchWorkload.Resources(Routes), .. parsed.Resources]).GetAwaiter().GetResult();
        _harness = MiddlewareHarness.Create(_host);
        var diagnostics = _host.Runtime.Current.Translation.Diagnostics;
        if (diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            throw new InvalidOperationException(string.Join("; ", diagnostics));
        }

        _plain = MiddlewareHarness.Request(Path(BenchWorkload.Middle(Routes)));
        _keyAuth = MiddlewareHarness.Request(Path(keyAuthRoute), (BenchWorkload.ApiKeyHeader, BenchWorkload.ApiKey));
        _jwtHs256 = MiddlewareHarness.Request(Path(jwtRoute), ("Authorization", "Bearer " + Token(new SymmetricSecurityKey(hmacKey) { KeyId = "hmac" }, SecurityAlgorithms.HmacSha256)));
        _jwtRs256 = MiddlewareHarness.Request(Path(jwtRoute), ("Authorization", "Bearer " + Token(rsaKey, SecurityAlgorithms.RsaSha256)));
        foreach (var context in new[] { _plain, _keyAuth, _jwtHs256, _jwtRs256 })
        {
            _harness.EnsureForwarded(context);
        }

        // The plugins must be in force: the same requests without credentials are refused.
        foreach (var path in new[] { Path(keyAuthRoute), Path(jwtRoute) })
        {
            var refused = MiddlewareHarness.Request(path);
            _harness.Middleware.InvokeAsync(refused).GetAwaiter().GetResult();
            if (refused.Response.StatusCode != StatusCodes.Status401Unauthorized)
            {
                throw new InvalidOperationException($"{path} without credentials got {refused.Response.StatusCode}, not 401");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _host?.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public Task PlainRoute() => _harness!.Middleware.InvokeAsync(_plain);

    [Benchmark]
    public Task KeyAuth() => _harness!.Middleware.InvokeAsync(_keyAuth);

    [Benchmark]
    public Task JwtAuthHs256() => _harness!.Middleware.InvokeAsync(_jwtHs256);

    [Benchmark]
    public Task JwtAuthRs256() => _harness!.Middleware.InvokeAsync(_jwtRs256);

    private static string Path(int route) => "/svc" + route.ToString(CultureInfo.InvariantCulture) + "/items/42";

    private static int PlainAfter(int route)
    {
        var next = route + 1;
        while (next % 10 is 3 or 5)
        {
            next++;
        }

        return next < Routes ? next : BenchWorkload.Middle(Routes) - 1;
    }

    private static string Token(SecurityKey key, string algorithm) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "bench-issuer",
        Subject = new System.Security.Claims.ClaimsIdentity([new System.Security.Claims.Claim("sub", "bench-user")]),
        Expires = DateTime.UtcNow.AddDays(1),
        SigningCredentials = new SigningCredentials(key, algorithm),
    });

    private static string JwtAuthYaml(int route, string jwks) => string.Create(CultureInfo.InvariantCulture, $"""
        apiVersion: networking.higress.io/v1alpha1
        kind: Extension
        metadata: {"{"}name: bench-jwt-auth{"}"}
        spec:
          plugin: jwt-auth
          targetRefs: [{"{"}kind: Route, name: r{route}{"}"}]
          config:
            consumers:
            - name: consumer1
              issuer: bench-issuer
              jwks: '{jwks}'

        """);
}
