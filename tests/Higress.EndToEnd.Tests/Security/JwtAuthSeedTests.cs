using System.Net;
using Higress.EndToEnd.Tests.Infrastructure;
using Higress.Tests.Jwt;

namespace Higress.EndToEnd.Tests.Security;

/// <summary>
/// The seed's jwt-auth Extension of CONFIG.md, verbatim but for jwks_uri (a JWKS served on 127.0.0.1), loaded from a
/// config directory: it protects every route of its namespace, forwards the token's subject in X-Mse-Consumer, and
/// refuses every bad token with 401 without forwarding anything.
/// </summary>
public sealed class JwtAuthSeedTests : IAsyncLifetime
{
    private static readonly Lazy<JwtTestKeys> Stranger = new(() => new JwtTestKeys("stranger"));

    private readonly JwtTestKeys _keys = JwtSeedWorld.Keys;
    private JwtSeedWorld _world = null!;

    public async Task InitializeAsync() => _world = await JwtSeedWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private Task<GatewayResponse> SendAsync(string? token, string path = "/orders", params KeyValuePair<string, string>[] headers) =>
        _world.SendAsync(token, path, headers);

    [Fact]
    public async Task A_token_signed_by_a_key_of_the_JWKS_passes_and_its_subject_is_forwarded_as_the_consumer()
    {
        var response = await SendAsync(_keys.Token(subject: "alice"), "/orders", KeyValuePair.Create("X-Mse-Consumer", "admin"));

        Assert.Equal(200, response.Code);
        Assert.Equal("alice", response.Echo.HeaderValue("X-Mse-Consumer"));
        var received = Assert.Single(_world.Backend.Received);
        Assert.Equal("alice", received.Headers["X-Mse-Consumer"]);

        Assert.Equal(200, (await SendAsync(_keys.Token("ES384", subject: "bob"), "/any/other/path")).Code);
    }

    [Theory]
    [InlineData("no token", "JWT is missing.")]
    [InlineData("alg none", "JWT verification fails")]
    [InlineData("algorithm confusion", "JWT verification fails")]
    [InlineData("expired", "JWT is expired.")]
    [InlineData("not yet valid", "JWT is expired.")]
    [InlineData("wrong issuer", "JWT verification fails")]
    [InlineData("unknown kid", "JWT verification fails")]
    [InlineData("tampered payload", "JWT verification fails")]
    [InlineData("tampered signature", "JWT verification fails")]
    public async Task Every_refused_token_gets_401_and_nothing_reaches_the_backend(string variant, string message)
    {
        var valid = _keys.Token();
        var token = variant switch
        {
            "no token" => null,
            "alg none" => JwtTestKeys.Unsigned("""{"iss":"example.com","sub":"alice"}"""),
            "algorithm confusion" => _keys.AlgorithmConfusion(),
            "expired" => _keys.Token(expires: DateTime.UtcNow.AddMinutes(-5), notBefore: DateTime.UtcNow.AddMinutes(-10)),
            "not yet valid" => _keys.Token(notBefore: DateTime.UtcNow.AddMinutes(5)),
            "wrong issuer" => _keys.Token(issuer: "evil.example.com"),
            "unknown kid" => Stranger.Value.Token(),
            "tampered payload" => JwtTestKeys.WithPayload(valid, """{"iss":"example.com","sub":"admin","exp":4102444800}"""),
            _ => valid[..^4] + (valid[^4] == 'A' ? "BBBB" : "AAAA"),
        };

        var response = await SendAsync(token, "/orders", KeyValuePair.Create("X-Mse-Consumer", "admin"));

        Assert.Equal(401, response.Code);
        Assert.Equal("Request denied by JWT Auth check. " + message, response.Body);
        Assert.Equal("JWT realm=MSE Gateway", response.HeaderValue("WWW-Authenticate"));
        Assert.Empty(_world.Backend.Received);
    }
}

/// <summary>The seed's jwt-auth with its JWKS host down at start: the gateway is ready, refuses, then serves once keys come.</summary>
public sealed class JwtAuthJwksDownTests : IAsyncLifetime
{
    private readonly JwtTestKeys _keys = JwtSeedWorld.Keys;
    private JwtSeedWorld _world = null!;

    public async Task InitializeAsync() => _world = await JwtSeedWorld.StartAsync(startJwks: false);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Readiness_does_not_wait_for_the_JWKS_requests_get_401_until_it_comes_up_then_tokens_pass()
    {
        var (ready, _) = await _world.Gateway.Client.AdminAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready);

        Assert.Equal(401, (await _world.SendAsync(_keys.Token())).Code);
        Assert.Empty(_world.Backend.Received);

        await _world.Jwks.StartAsync();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var status = 0;
        while (status != 200 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            status = (await _world.SendAsync(_keys.Token())).Code;
        }

        Assert.Equal(200, status);
        Assert.Single(_world.Backend.Received);
    }
}
