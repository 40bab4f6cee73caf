using Higress.EndToEnd.Tests.Infrastructure;
using Higress.Tests.Jwt;

namespace Higress.EndToEnd.Tests.Security;

/// <summary>A jwt-auth config that is wrong: never valid fails closed; a valid one edited into a wrong one keeps its last good config.</summary>
public sealed class JwtAuthBadConfigTests : IAsyncLifetime
{
    private readonly JwtTestKeys _keys = JwtTestKeys.Shared;
    private EchoBackend _backend = null!;
    private JwksServer _jwks = null!;
    private GatewayHost _gateway = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        _backend = await EchoBackend.StartAsync("default", "my-service-pod");
        _jwks = await new JwksServer(_keys.Jwks(withHmac: false)).StartAsync();
        _port = FreePorts.Next();
        _gateway = await GatewayHost.StartAsync(new Dictionary<string, string>
        {
            ["seed.yaml"] = JwtAuthSeedTests.Seed(_port, "ftp://127.0.0.1/jwks.json"),
            ["my-service.yaml"] = ConformanceWorld.ServiceYaml("default", "my-service", _backend.Port, servicePort: 80),
        });
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _jwks.DisposeAsync();
        await _backend.DisposeAsync();
    }

    private Task<GatewayResponse> SendAsync(string? token) =>
        _gateway.SendAsync(_port, "a.example.com", "/", headers: token is null ? [] : [KeyValuePair.Create("Authorization", "Bearer " + token)]);

    private async Task<string> ErrorsAsync() =>
        string.Join("\n", (await _gateway.Client.ConfigDumpAsync())["errors"]!.AsArray().Select(e => (string?)e));

    [Fact]
    public async Task A_config_never_valid_fails_closed_and_a_later_bad_edit_keeps_the_last_good_config()
    {
        var dump = await ErrorsAsync();
        Assert.Contains("Extension default/jwt-auth: spec.config.jwt.jwks_uri: 'ftp://127.0.0.1/jwks.json' is not an absolute http or https URL", dump, StringComparison.Ordinal);
        Assert.Equal(500, (await SendAsync(_keys.Token())).Code);
        Assert.Empty(_backend.Received);

        await _gateway.ApplyAsync("seed.yaml", JwtAuthSeedTests.Seed(_port, _jwks.Uri));
        Assert.Equal(200, (await SendAsync(_keys.Token())).Code);
        Assert.Equal(401, (await SendAsync(null)).Code);

        // A typo in the field name: an error, and the instance keeps enforcing its last good config.
        await _gateway.ApplyAsync("seed.yaml", JwtAuthSeedTests.Seed(_port, _jwks.Uri).Replace("jwks_uri:", "jwks_url:", StringComparison.Ordinal));
        Assert.Contains("Extension default/jwt-auth: spec.config.jwt.jwks_url: unknown field", await ErrorsAsync(), StringComparison.Ordinal);
        Assert.Equal(401, (await SendAsync(null)).Code);
        Assert.Equal(200, (await SendAsync(_keys.Token())).Code);
        Assert.Equal(2, _backend.Received.Count);
    }
}
