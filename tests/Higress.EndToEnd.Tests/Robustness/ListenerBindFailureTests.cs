using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Higress.EndToEnd.Tests.Infrastructure;

namespace Higress.EndToEnd.Tests.Robustness;

/// <summary>
/// The reference host (a real process) with ports it cannot bind because the test holds them with a TcpListener:
/// the process keeps running, the other listeners and the admin port serve, the busy one is reported (readiness,
/// <c>/config_dump</c>, the Gateway's status) and heals once the port is freed, without a restart.
/// </summary>
public sealed class ListenerBindFailureTests : IAsyncLifetime
{
    private const string Gateway = "Gateway gateway-conformance-infra/same-namespace";
    private readonly int _free = FreePorts.Next();
    private readonly int _busy = FreePorts.Next();
    private EchoBackend _backend = null!;

    public async Task InitializeAsync() => _backend = await EchoBackend.StartAsync(ConformanceWorld.Infra, "infra-backend-v1");

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    [Fact]
    public async Task BusyListenerPort_AtStartup_IsReportedNotProgrammed_OthersServe_AndHealsWhenFreed()
    {
        using var squatter = Occupy(_busy);
        await using var host = await ReferenceHostProcess.StartAsync(Files(_free, _busy), waitReady: false);

        await Eventually(async () => (await host.Client.AdminAsync("/readyz")).Status == HttpStatusCode.ServiceUnavailable && await FailedAsync(host.Client, _busy) is not null, host);
        Assert.True(host.IsRunning);
        Assert.Equal("infra-backend-v1", (await host.Client.SendAsync(_free, "example.com", "/app")).Echo.Pod);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.AdminAsync("/healthz")).Status);

        var (_, readyBody) = await host.Client.AdminAsync("/readyz");
        Assert.Contains($"127.0.0.1:{_busy}", readyBody, StringComparison.Ordinal);
        Assert.Contains("address in use", readyBody, StringComparison.Ordinal);

        var failed = (await FailedAsync(host.Client, _busy))!;
        Assert.Contains("address in use", (string?)failed["reason"], StringComparison.Ordinal);
        var dump = await host.Client.ConfigDumpAsync();
        var status = dump["statuses"]!.AsArray().Single(s => (string?)s!["object"] == Gateway)!;
        var programmed = status["conditions"]!.AsArray().Single(c => (string?)c!["type"] == "Programmed")!;
        Assert.False((bool)programmed["status"]!);
        Assert.Equal("PortUnavailable", (string?)programmed["reason"]);
        Assert.Contains("free the port or choose another one", (string?)programmed["message"], StringComparison.Ordinal);
        var busyListener = status["parents"]!.AsArray().Single(p => (string?)p!["parent"] == "listener busy")!;
        Assert.Contains(busyListener["conditions"]!.AsArray(), c => (string?)c!["type"] == "Programmed" && !(bool)c["status"]! && (string?)c["reason"] == "PortUnavailable");
        Assert.Single(host.Output.Split('\n'), l => l.Contains($"Cannot open http://127.0.0.1:{_busy}", StringComparison.Ordinal));

        squatter.Stop();
        await host.Client.WaitReadyAsync(timeout: TimeSpan.FromSeconds(30));
        Assert.Equal("infra-backend-v1", (await host.Client.SendAsync(_busy, "example.com", "/app")).Echo.Pod);
        Assert.Null(await FailedAsync(host.Client, _busy));
        Assert.Contains($"http://127.0.0.1:{_busy} for listener busy", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BusyAdminPort_AtStartup_DoesNotStopTheGatewayListeners_AndHealsWhenFreed()
    {
        var adminPort = FreePorts.Next();
        using var squatter = Occupy(adminPort);
        await using var host = await ReferenceHostProcess.StartAsync(Files(_free, busy: null), adminPort: adminPort, waitReady: false);

        await Eventually(async () => (await host.Client.SendAsync(_free, "example.com", "/app")).Code == 200, host);
        Assert.True(host.IsRunning);
        Assert.Contains($"Cannot open http://127.0.0.1:{adminPort} for the admin endpoints", host.Output, StringComparison.Ordinal);

        squatter.Stop();
        await host.Client.WaitReadyAsync(timeout: TimeSpan.FromSeconds(30));
        Assert.True(host.IsRunning);
    }

    [Fact]
    public async Task ReloadAddingAListenerOnABusyPort_ReportsIt_AndKeepsServingTheOthers()
    {
        using var squatter = Occupy(_busy);
        await using var host = await ReferenceHostProcess.StartAsync(Files(_free, busy: null));
        Assert.Equal(200, (await host.Client.SendAsync(_free, "example.com", "/app")).Code);

        await host.WriteAsync("gateway.yaml", GatewayYaml(_free, _busy));
        await Eventually(async () => await FailedAsync(host.Client, _busy) is not null, host);

        var (ready, body) = await host.Client.AdminAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);
        Assert.Contains($"127.0.0.1:{_busy}", body, StringComparison.Ordinal);
        Assert.Equal(200, (await host.Client.SendAsync(_free, "example.com", "/app")).Code);
        var errors = await host.Client.AdminAsync("/config_dump?errors=true");
        var statuses = JsonNode.Parse(errors.Body)!["statuses"]!.AsArray();
        Assert.Contains(statuses, s => (string?)s!["object"] == Gateway);
        Assert.True(host.IsRunning);
    }

    private static TcpListener Occupy(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        return listener;
    }

    /// <summary>The failed endpoint on <paramref name="port"/> in <c>/config_dump</c>'s listeners, or null.</summary>
    private static async Task<JsonNode?> FailedAsync(GatewayClient client, int port)
    {
        var dump = await client.ConfigDumpAsync();
        return dump["listeners"]!.AsArray().FirstOrDefault(l => (int)l!["port"]! == port && (string?)l["state"] == "failed");
    }

    private static async Task Eventually(Func<Task<bool>> condition, ReferenceHostProcess host)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        for (var attempt = 0; attempt < 1200 && DateTime.UtcNow < deadline; attempt++)
        {
            Assert.True(host.IsRunning, "the host exited:\n" + host.Output);
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or NullReferenceException)
            {
            }

            await Task.Delay(50);
        }

        Assert.Fail("condition not met in time; output:\n" + host.Output);
    }

    private Dictionary<string, string> Files(int free, int? busy) => new()
    {
        ["services.yaml"] = ConformanceWorld.ServiceYaml(ConformanceWorld.Infra, "infra-backend-v1", _backend.Port),
        ["gateway.yaml"] = GatewayYaml(free, busy),
        ["route.yaml"] = ConformanceWorld.CatchAllRouteYaml("infra-backend-v1"),
    };

    private static string GatewayYaml(int free, int? busy) => $$"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: same-namespace
          namespace: gateway-conformance-infra
        spec:
          gatewayClassName: higress
          listeners:
          - name: free
            port: {{free}}
            protocol: HTTP
        """ + (busy is null ? string.Empty : $$"""

          - name: busy
            port: {{busy}}
            protocol: HTTP
        """);
}
