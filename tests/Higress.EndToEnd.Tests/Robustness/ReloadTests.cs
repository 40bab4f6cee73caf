using System.Collections.Concurrent;
using Higress.EndToEnd.Tests.Infrastructure;

namespace Higress.EndToEnd.Tests.Robustness;

/// <summary>
/// Reload under load: while a steady concurrent load runs through the gateway, the configuration changes 50 times
/// (weights swap between two backends that both answer the route, and an extra route comes and goes); no request
/// fails or reaches a wrong backend. And the last good configuration keeps serving when a file turns to garbage.
/// </summary>
public sealed class ReloadTests(ReloadTests.Fixture fixture) : IClassFixture<ReloadTests.Fixture>
{
    private const int Changes = 50;
    private const int Workers = 4;
    private const int MaxRequests = 40_000;

    private ConformanceWorld World => fixture.World;

    [Fact]
    public async Task FiftyChangesUnderLoad_NoRequestFailsOrReachesAWrongBackend()
    {
        var failures = new ConcurrentQueue<string>();
        var served = new ConcurrentDictionary<string, int>();
        var sent = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));

        async Task WorkAsync(int worker)
        {
            while (!stop.IsCancellationRequested && Interlocked.Increment(ref sent) <= MaxRequests)
            {
                var stable = worker % 2 == 0;
                var path = stable ? "/stable" : "/load";
                try
                {
                    var response = await World.SendAsync("same-namespace", "reload.example.com", path);
                    var pod = response.Code == 200 ? response.Echo.Pod : null;
                    var expected = stable ? pod == "infra-backend-v3" : pod is "infra-backend-v1" or "infra-backend-v2";
                    if (!expected)
                    {
                        failures.Enqueue($"{path}: {response}");
                    }
                    else
                    {
                        served.AddOrUpdate(pod!, 1, (_, n) => n + 1);
                    }
                }
                catch (HttpRequestException ex)
                {
                    failures.Enqueue($"{path}: {ex.Message}");
                }
            }
        }

        var load = Enumerable.Range(0, Workers).Select(w => Task.Run(() => WorkAsync(w))).ToArray();
        try
        {
            for (var change = 1; change <= Changes; change++)
            {
                await World.Gateway.ApplyAsync("20-reload.yaml", World.Expand(ReloadYaml(change)));
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(load);
        }

        Assert.True(failures.IsEmpty, $"{failures.Count} of {sent} request(s) failed, e.g. {string.Join(" | ", failures.Take(5))}");
        Assert.True(served.GetValueOrDefault("infra-backend-v1") > 0 && served.GetValueOrDefault("infra-backend-v2") > 0, "both weighted backends should have served");

        // The last change (50, even) sends everything to v2 and has the extra route.
        await World.ExpectBackendAsync("same-namespace", "reload.example.com", "/load", "infra-backend-v2");
        await World.ExpectBackendAsync("same-namespace", "reload.example.com", "/extra-50", "infra-backend-v1");
        await World.ExpectStatusAsync("same-namespace", "reload.example.com", "/extra-49", 404);
    }

    [Fact]
    public async Task GarbageFile_LastGoodConfigurationKeepsServing()
    {
        await World.Gateway.ApplyAsync("30-replaceable.yaml", """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: replaceable
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: same-namespace}]
              hostnames: [replaceable.example.com]
              rules:
              - backendRefs: [{name: infra-backend-v2, port: 8080}]
            """);
        await World.ExpectBackendAsync("same-namespace", "replaceable.example.com", "/", "infra-backend-v2");

        await World.Gateway.WriteAtomicallyAsync("30-replaceable.yaml", "{{{ this: is: not [yaml \u0001\n---\n: : :\n");
        await WaitForErrorAsync("30-replaceable.yaml");

        await World.ExpectBackendAsync("same-namespace", "replaceable.example.com", "/", "infra-backend-v2");
        await World.ExpectBackendAsync("same-namespace", "reload.example.com", "/stable", "infra-backend-v3");
        var (ready, _) = await World.Gateway.Client.AdminAsync("/readyz");
        Assert.Equal(System.Net.HttpStatusCode.OK, ready);

        await World.Gateway.ApplyAsync("30-replaceable.yaml", """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: replaceable
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: same-namespace}]
              hostnames: [replaceable.example.com]
              rules:
              - backendRefs: [{name: infra-backend-v1, port: 8080}]
            """);
        await World.ExpectBackendAsync("same-namespace", "replaceable.example.com", "/", "infra-backend-v1");

        await World.Gateway.DeleteAsync("30-replaceable.yaml");
        await World.ExpectStatusAsync("same-namespace", "replaceable.example.com", "/", 404);
        await World.ExpectBackendAsync("same-namespace", "reload.example.com", "/stable", "infra-backend-v3");
    }

    [Fact]
    public async Task ListenerAddedAtRuntime_Opens_AndClosesWhenRemoved()
    {
        var port = World.Port("added-later");
        await World.Gateway.ApplyAsync("40-added.yaml", World.Expand("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: added-later
              namespace: gateway-conformance-infra
            spec:
              gatewayClassName: higress
              listeners:
              - {name: http, port: PORT(added-later), protocol: HTTP}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: on-added-later
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: added-later}]
              rules:
              - backendRefs: [{name: infra-backend-v2, port: 8080}]
            """));
        await World.ExpectBackendAsync("added-later", "example.com", "/anything", "infra-backend-v2");

        await World.Gateway.DeleteAsync("40-added.yaml");
        await World.ExpectBackendAsync("same-namespace", "reload.example.com", "/stable", "infra-backend-v3");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
            }
            catch (System.Net.Sockets.SocketException)
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"port {port} is still open after its Gateway was removed");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task EndpointSliceChange_MovesTrafficToTheNewEndpoint()
    {
        await using var first = await EchoBackend.StartAsync("gateway-conformance-infra", "moving-v1");
        await using var second = await EchoBackend.StartAsync("gateway-conformance-infra", "moving-v2");
        const string route = """
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: moving
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: same-namespace}]
              hostnames: [moving.example.com]
              rules:
              - backendRefs: [{name: moving, port: 8080}]
            """;
        await World.Gateway.ApplyAsync("50-moving.yaml", ConformanceWorld.ServiceYaml("gateway-conformance-infra", "moving", first.Port) + route);
        Assert.Equal("moving-v1", (await World.SendAsync("same-namespace", "moving.example.com", "/")).Echo.Pod);

        await World.Gateway.ApplyAsync("50-moving.yaml", ConformanceWorld.ServiceYaml("gateway-conformance-infra", "moving", second.Port) + route);
        Assert.Equal("moving-v2", (await World.SendAsync("same-namespace", "moving.example.com", "/")).Echo.Pod);

        await World.Gateway.DeleteAsync("50-moving.yaml");
    }

    private async Task WaitForErrorAsync(string file)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var dump = await World.Gateway.Client.ConfigDumpAsync();
            if (dump["errors"]!.AsArray().Any(e => ((string?)e)!.Contains(file, StringComparison.Ordinal)))
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"no error reported for {file}");
    }

    private static string ReloadYaml(int change)
    {
        var (v1, v2) = change % 2 == 0 ? (0, 100) : (100, 0);
        return $"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: reload
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{"{"}name: same-namespace{"}"}]
              hostnames: [reload.example.com]
              rules:
              - matches: [{"{"}path: {"{"}type: PathPrefix, value: /load{"}}"}]
                backendRefs:
                - {"{"}name: infra-backend-v1, port: 8080, weight: {v1}{"}"}
                - {"{"}name: infra-backend-v2, port: 8080, weight: {v2}{"}"}
              - matches: [{"{"}path: {"{"}type: PathPrefix, value: /extra-{change}{"}}"}]
                backendRefs: [{"{"}name: infra-backend-v1, port: 8080{"}"}]
            """;
    }

    public sealed class Fixture : WorldFixture
    {
        protected override string Scenario => """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: stable
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: same-namespace}]
              hostnames: [reload.example.com]
              rules:
              - matches: [{path: {type: PathPrefix, value: /stable}}]
                backendRefs: [{name: infra-backend-v3, port: 8080}]
            """;

        protected override IReadOnlyDictionary<string, string>? ExtraFiles => new Dictionary<string, string>
        {
            ["20-reload.yaml"] = """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata:
                  name: reload
                  namespace: gateway-conformance-infra
                spec:
                  parentRefs: [{name: same-namespace}]
                  hostnames: [reload.example.com]
                  rules:
                  - matches: [{path: {type: PathPrefix, value: /load}}]
                    backendRefs: [{name: infra-backend-v1, port: 8080}]
                """,
        };
    }
}
