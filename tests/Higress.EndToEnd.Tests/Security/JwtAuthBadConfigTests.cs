using Higress.EndToEnd.Tests.Infrastructure;
using Higress.Tests.Jwt;

namespace Higress.EndToEnd.Tests.Security;

/// <summary>A jwt-auth config that is wrong: never valid fails closed; a valid one edited into a wrong one keeps its last good config.</summary>
public sealed class JwtAuthBadConfigTests : IAsyncLifetime
{
    private readonly JwtTestKeys _keys = JwtSeedWorld.Keys;
    private JwtSeedWorld _world = null!;

    public async Task InitializeAsync() => _world = await JwtSeedWorld.StartAsync(jwksUri: "ftp://127.0.0.1/jwks.json");

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private Task<GatewayResponse> SendAsync(string? token) => _world.SendAsync(token);

    private async Task<string> ErrorsAsync() =>
        string.Join("\n", (await _world.Gateway.Client.ConfigDumpAsync())["errors"]!.AsArray().Select(e => (string?)e));

    [Fact]
    public async Task A_config_never_valid_fails_closed_and_a_later_bad_edit_keeps_the_last_good_config()
    {
        var dump = await ErrorsAsync();
        Assert.Contains("Extension default/jwt-auth: spec.config.jwt.jwks_uri: 'ftp://127.0.0.1/jwks.json' is not an absolute http or https URL", dump, StringComparison.Ordinal);
        Assert.Equal(500, (await SendAsync(_keys.Token())).Code);
        Assert.Empty(_world.Backend.Received);

        await _world.Gateway.ApplyAsync("seed.yaml", JwtSeedWorld.Seed(_world.Port, _world.Jwks.Uri));
        Assert.Equal(200, (await SendAsync(_keys.Token())).Code);
        Assert.Equal(401, (await SendAsync(null)).Code);

        // A typo in the field name: an error, and the instance keeps enforcing its last good config.
        await _world.Gateway.ApplyAsync("seed.yaml", JwtSeedWorld.Seed(_world.Port, _world.Jwks.Uri).Replace("jwks_uri:", "jwks_url:", StringComparison.Ordinal));
        Assert.Contains("Extension default/jwt-auth: spec.config.jwt.jwks_url: unknown field", await ErrorsAsync(), StringComparison.Ordinal);
        Assert.Equal(401, (await SendAsync(null)).Code);
        Assert.Equal(200, (await SendAsync(_keys.Token())).Code);
        Assert.Equal(2, _world.Backend.Received.Count);
    }
}
