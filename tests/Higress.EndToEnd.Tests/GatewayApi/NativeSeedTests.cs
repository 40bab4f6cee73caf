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
            kind: Route
            metadata:
              name: my-route
            spec:
              gateways: [example-gateway]
              hosts: [api.example.com]
              http:
              - name: api
                match:
                - uri: {prefix: /api}
                route:
                - destination: {host: my-service, port: 80}
                headers:
                  request:
                    set: {x-route: my-route}
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
        var response = await _gateway.SendAsync(_port, "anything.example.com", "/hello/world?x=1");
        Assert.Equal(200, response.Code);
        Assert.Equal("my-service-pod", response.Echo.Pod);
        Assert.Equal("/hello/world?x=1", response.Echo.Path);
        Assert.Null(response.Echo.HeaderValue("x-route"));
    }

    [Fact]
    public async Task NativeRoute_OnTheSeedGateway_TakesItsHostAndPath()
    {
        var response = await _gateway.SendAsync(_port, "api.example.com", "/api/orders");
        Assert.Equal(200, response.Code);
        Assert.Equal("/api/orders", response.Echo.Path);
        Assert.Equal("my-route", response.Echo.HeaderValue("x-route"));

        var otherHost = await _gateway.SendAsync(_port, "www.example.com", "/api/orders");
        Assert.Equal(200, otherHost.Code);
        Assert.Null(otherHost.Echo.HeaderValue("x-route"));
    }

    [Fact]
    public async Task SeedGateway_IsReady()
    {
        var (status, _) = await _gateway.Client.AdminAsync("/readyz");
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        var (health, _) = await _gateway.Client.AdminAsync("/healthz");
        Assert.Equal(System.Net.HttpStatusCode.OK, health);
    }
}
