using System.Net;
using Higress.EndToEnd.Tests.Infrastructure;

namespace Higress.EndToEnd.Tests.GatewayApi;

/// <summary>
/// The reference host binary, run as the acceptance suite runs it: command-line keys, another working directory (with
/// ConfigDir relative to it),
/// <c>/readyz</c>, a Gateway API route to a real backend, and a watched change applied without restart.
/// </summary>
public sealed class ReferenceHostTests : IAsyncLifetime
{
    private readonly int _port = FreePorts.Next();
    private EchoBackend _v1 = null!;
    private EchoBackend _v2 = null!;
    private ReferenceHostProcess _host = null!;

    public async Task InitializeAsync()
    {
        _v1 = await EchoBackend.StartAsync(ConformanceWorld.Infra, "infra-backend-v1");
        _v2 = await EchoBackend.StartAsync(ConformanceWorld.Infra, "infra-backend-v2");
        _host = await ReferenceHostProcess.StartAsync(new Dictionary<string, string>
        {
            ["services.yaml"] = ConformanceWorld.ServiceYaml(ConformanceWorld.Infra, "infra-backend-v1", _v1.Port)
                + ConformanceWorld.ServiceYaml(ConformanceWorld.Infra, "infra-backend-v2", _v2.Port),
            ["gateway.yaml"] = ConformanceWorld.SingleListenerGatewayYaml(_port),
            ["route.yaml"] = Route("infra-backend-v1"),
        }, relativeConfigDir: true);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _v1.DisposeAsync();
        await _v2.DisposeAsync();
    }

    [Fact]
    public async Task ReferenceHost_ServesRoutes_AppliesChangesWithoutRestart_AndAnswersAdmin()
    {
        var (ready, _) = await _host.Client.AdminAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready);
        var (healthy, _) = await _host.Client.AdminAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, healthy);

        var first = await _host.Client.SendAsync(_port, "example.com", "/app/x");
        Assert.Equal(200, first.Code);
        Assert.Equal("infra-backend-v1", first.Echo.Pod);
        Assert.Equal("/app/x", first.Echo.Path);
        Assert.Equal(404, (await _host.Client.SendAsync(_port, "example.com", "/other")).Code);

        await _host.ApplyAsync("route.yaml", Route("infra-backend-v2"));
        var second = await _host.Client.SendAsync(_port, "example.com", "/app/x");
        Assert.Equal(200, second.Code);
        Assert.Equal("infra-backend-v2", second.Echo.Pod);

        var dump = await _host.Client.ConfigDumpAsync();
        Assert.Empty(dump["errors"]!.AsArray());
        Assert.Contains(dump["statuses"]!.AsArray(), s => (string?)s!["object"] == "HTTPRoute gateway-conformance-infra/app");

        // The admin endpoints are never served on a gateway listener.
        Assert.Equal(404, (await _host.Client.SendAsync(_port, "example.com", "/config_dump")).Code);
    }

    private static string Route(string backend) => $$"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: app
          namespace: gateway-conformance-infra
        spec:
          parentRefs:
          - name: same-namespace
          rules:
          - matches:
            - path: {type: PathPrefix, value: /app}
            backendRefs:
            - name: {{backend}}
              port: 8080
        """;
}
