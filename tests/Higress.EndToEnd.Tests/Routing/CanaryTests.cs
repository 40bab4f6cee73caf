using System.Collections.Concurrent;
using Higress.EndToEnd.Tests.Infrastructure;

namespace Higress.EndToEnd.Tests.Routing;

/// <summary>
/// Issue 10.7: a native rule's canary on real backends, read from files: header and cookie decide exactly, and a
/// blue-green switch (canary weight 0 → 100) is one file edit with zero failed requests under load.
/// </summary>
public sealed class CanaryTests
{
    private const int Workers = 4;
    private const int MaxRequests = 20_000;

    private static string Files(int port, int blue, int green) =>
        $$"""
        apiVersion: networking.higress.io/v1alpha1
        kind: Gateway
        metadata: {name: gw}
        spec:
          listeners: [{protocol: HTTP, port: {{port}}}]
        {{ConformanceWorld.ServiceYaml("default", "blue", blue)}}
        {{ConformanceWorld.ServiceYaml("default", "green", green)}}
        """;

    private static string Route(string weight) => $$$"""
        apiVersion: networking.higress.io/v1alpha1
        kind: Route
        metadata: {name: shop}
        spec:
          http:
          - route: [{destination: {host: blue, port: 8080}}]
            canary:
              route: [{destination: {host: green, port: 8080}}]
              byHeader: x-canary
              byCookie: canary
              weight: {{{weight}}}
        """;

    private static async Task<(GatewayHost Gateway, int Port, EchoBackend Blue, EchoBackend Green)> StartAsync(string weight)
    {
        var blue = await EchoBackend.StartAsync("default", "blue");
        var green = await EchoBackend.StartAsync("default", "green");
        var port = FreePorts.Next();
        var gateway = await GatewayHost.StartAsync(new Dictionary<string, string>
        {
            ["00-world.yaml"] = Files(port, blue.Port, green.Port),
            ["10-route.yaml"] = Route(weight),
        });
        return (gateway, port, blue, green);
    }

    private static async Task<string> PodAsync(GatewayHost gateway, int port, params (string Name, string Value)[] headers)
    {
        var response = await gateway.SendAsync(port, "shop.example.com", "/", headers: headers.Select(h => KeyValuePair.Create(h.Name, h.Value)));
        Assert.True(response.Code == 200, response.ToString());
        return response.Echo.Pod;
    }

    [Fact]
    public async Task Header_and_cookie_decide_exactly_and_never_beats_the_weight()
    {
        var (gateway, port, blue, green) = await StartAsync("50");
        await using (blue)
        await using (green)
        await using (gateway)
        {
            for (var i = 0; i < 20; i++)
            {
                Assert.Equal("green", await PodAsync(gateway, port, ("x-canary", "always")));
                Assert.Equal("blue", await PodAsync(gateway, port, ("x-canary", "never")));
                Assert.Equal("green", await PodAsync(gateway, port, ("Cookie", "session=1; canary=always")));
                Assert.Equal("blue", await PodAsync(gateway, port, ("Cookie", "canary=never")));
                Assert.Equal("blue", await PodAsync(gateway, port, ("x-canary", "never"), ("Cookie", "canary=always")));
            }
        }
    }

    [Fact]
    public async Task A_blue_green_switch_is_one_edit_with_zero_failed_requests_and_a_bad_edit_keeps_it()
    {
        var (gateway, port, blue, green) = await StartAsync("0");
        await using (blue)
        await using (green)
        await using (gateway)
        {
            var failures = new ConcurrentQueue<string>();
            var seen = new ConcurrentDictionary<(int Phase, string Pod), int>();
            var phase = 0;
            var sent = 0;
            using var stop = new CancellationTokenSource();

            async Task WorkAsync()
            {
                while (!stop.IsCancellationRequested && Interlocked.Increment(ref sent) <= MaxRequests)
                {
                    var before = Volatile.Read(ref phase);
                    try
                    {
                        var response = await gateway.SendAsync(port, "shop.example.com", "/");
                        if (response.Code != 200)
                        {
                            failures.Enqueue(response.ToString());
                            continue;
                        }

                        // Only requests that started and ended in one phase say which colour that phase serves.
                        if (Volatile.Read(ref phase) == before)
                        {
                            seen.AddOrUpdate((before, response.Echo.Pod), 1, (_, n) => n + 1);
                        }
                    }
                    catch (HttpRequestException ex)
                    {
                        failures.Enqueue(ex.Message);
                    }
                }
            }

            var load = Enumerable.Range(0, Workers).Select(_ => Task.Run(WorkAsync)).ToArray();
            try
            {
                await WaitForAsync(() => seen.GetValueOrDefault((0, "blue")) >= 50);
                Volatile.Write(ref phase, 1);
                await gateway.ApplyAsync("10-route.yaml", Route("100"));
                Volatile.Write(ref phase, 2);
                await WaitForAsync(() => seen.GetValueOrDefault((2, "green")) >= 50);

                // An invalid edit (weight over weightTotal) is refused; the switched config keeps serving.
                await gateway.ApplyAsync("10-route.yaml", Route("150"));
                Volatile.Write(ref phase, 3);
                await WaitForAsync(() => seen.GetValueOrDefault((3, "green")) >= 50);
            }
            finally
            {
                await stop.CancelAsync();
                await Task.WhenAll(load);
            }

            Assert.True(failures.IsEmpty, $"{failures.Count} of {sent} request(s) failed, e.g. {string.Join(" | ", failures.Take(5))}");
            Assert.Equal(0, seen.GetValueOrDefault((0, "green")));
            Assert.Equal(0, seen.GetValueOrDefault((2, "blue")));
            Assert.Equal(0, seen.GetValueOrDefault((3, "blue")));
            Assert.True(seen.GetValueOrDefault((3, "green")) >= 50);
            var errors = string.Join("\n", (await gateway.Client.ConfigDumpAsync())["errors"]!.AsArray().Select(e => (string?)e));
            Assert.Contains("spec.http[0].canary.weight: weight 150 exceeds weightTotal 100", errors, StringComparison.Ordinal);
        }
    }

    // Bounded: at most 30 s, checked every 20 ms.
    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 1500 && !condition(); i++)
        {
            await Task.Delay(20);
        }

        Assert.True(condition(), "the load did not reach the expected backend in time");
    }
}
