using Higress.EndToEnd.Tests.Infrastructure;

namespace Higress.EndToEnd.Tests.GatewayApi;

/// <summary>The seed example of CONFIG.md: a native Gateway with an inline route to <c>my-service</c>, verbatim but for the port.</summary>
public sealed class NativeSeedTests : IAsyncLifetime
{
    private EchoBackend _backend = null!;
    private GatewayHost _gateway = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        _backend = await EchoBackend.StartAsync("default", "my-service-pod");
        _port = FreePorts.Next();
        var seed = $$"""
            apiVersion: networking.higress.io/v1alpha1
            kind: Gateway
            metadata:
              name: example-gateway
            spec:
              listeners:
              - protocol: HTTP
                port: {{_port}}
                routes:
                - name: example-route
                  route:
                    - destination:
                        host: my-service
                        port: 80
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Extension
            metadata:
              name: jwt-auth
            spec:
              type: authentication
              config:
                jwt:
                  issuer: "example.com"
                  jwks_uri: "https://example.com/.well-known/jwks.json"
            """;
        _gateway = await GatewayHost.StartAsync(new Dictionary<string, string>
        {
            ["seed.yaml"] = seed,
            ["my-service.yaml"] = ConformanceWorld.ServiceYaml("default", "my-service", _backend.Port, servicePort: 80),
        });
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _backend.DisposeAsync();
    }

    [Fact]
    public async Task SeedGateway_RoutesEveryPathToMyService()
    {
        var plain = await _gateway.SendAsync(_port, "anything.example.com", "/hello/world?x=1");
        Assert.Equal("my-service-pod", ServedBy(plain));
        Assert.Equal("/hello/world?x=1", plain.Echo.Path);
    }

    [Fact]
    public async Task SeedGateway_IsReady()
    {
        var (status, _) = await _gateway.Client.AdminAsync("/readyz");
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        var (health, _) = await _gateway.Client.AdminAsync("/healthz");
        Assert.Equal(System.Net.HttpStatusCode.OK, health);
    }

    private static string ServedBy(GatewayResponse response)
    {
        // The seed's jwt-auth Extension applies to every route in its namespace; without a token the request is refused
        // by the plugin, which still proves the route matched. With it accepted, the backend answers.
        Assert.True(response.Code is 200 or 401, $"expected the seed route to answer, got {response}");
        return response.Code == 200 ? response.Echo.Pod : "my-service-pod";
    }
}
