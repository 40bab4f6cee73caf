using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Higress.EndToEnd.Tests.Infrastructure;

namespace Higress.EndToEnd.Tests.Robustness;

/// <summary>
/// Issue 8.3: a route's file rewritten in place (truncate, then write; not an atomic rename) every 100 ms for 10 s,
/// as editors, <c>kubectl cp</c> and scripts write, while a steady load runs through a real listener to a real
/// backend: the gateway never takes a truncated or empty read for the deletion of the route, so no request fails.
/// </summary>
public sealed class InPlaceEditTests
{
    private const int Workers = 4;
    private const int MaxRequests = 200_000;

    [Fact]
    public async Task RouteFileRewrittenInPlaceEvery100msFor10s_NoRequestFails()
    {
        await using var backend = await EchoBackend.StartAsync("default", "in-place");
        var port = FreePorts.Next();
        var route = RouteYaml(port);
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string>
        {
            ["00-gateway.yaml"] = GatewayYaml(port) + ConformanceWorld.ServiceYaml("default", "echo", backend.Port),
            ["10-route.yaml"] = route,
        });
        var path = Path.Combine(gateway.ConfigDir, "10-route.yaml");
        var bytes = Encoding.UTF8.GetBytes(route);
        var failures = new ConcurrentQueue<string>();
        var sent = 0;
        using var stop = new CancellationTokenSource();

        async Task WorkAsync()
        {
            while (!stop.IsCancellationRequested && Interlocked.Increment(ref sent) <= MaxRequests)
            {
                try
                {
                    var response = await gateway.SendAsync(port, "edit.example.com", "/edited");
                    if (response.Code != 200)
                    {
                        failures.Enqueue(response.Code.ToString(CultureInfo.InvariantCulture));
                    }
                }
                catch (HttpRequestException ex)
                {
                    failures.Enqueue(ex.Message);
                }
            }
        }

        var load = Enumerable.Range(0, Workers).Select(_ => Task.Run(WorkAsync)).ToArray();
        var writes = 0;
        try
        {
            var until = DateTime.UtcNow.AddSeconds(10);
            while (DateTime.UtcNow < until && writes < 200)
            {
                // FileMode.Create truncates the file in place; the content follows in two writes.
                await using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite))
                {
                    await stream.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
                    await stream.FlushAsync();
                    await stream.WriteAsync(bytes.AsMemory(bytes.Length / 2));
                }

                writes++;
                await Task.Delay(100);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(load);
        }

        Assert.True(writes >= 50, $"only {writes} rewrites happened");
        Assert.True(sent > Workers, "the load did not run");
        Assert.True(failures.IsEmpty, $"{failures.Count} of {Math.Min(sent, MaxRequests)} request(s) failed during {writes} in-place rewrites, e.g. {string.Join(" | ", failures.Take(5))}");
    }

    private static string GatewayYaml(int port) => string.Create(CultureInfo.InvariantCulture, $"""
        apiVersion: networking.higress.io/v1alpha1
        kind: Gateway
        metadata: {"{"}name: edge{"}"}
        spec:
          listeners: [{"{"}protocol: HTTP, port: {port}{"}"}]

        """);

    private static string RouteYaml(int port) => string.Create(CultureInfo.InvariantCulture, $"""
        apiVersion: networking.higress.io/v1alpha1
        kind: Route
        metadata:
          name: edited
        spec:
          gateways: [edge]
          hosts: [edit.example.com]
          http:
          - name: edited
            match: [{"{"}uri: {"{"}prefix: /edited{"}"}{"}"}]
            headers: {"{"}response: {"{"}set: {"{"}x-port: "{port}"{"}"}{"}"}{"}"}
            route: [{"{"}destination: {"{"}host: echo, port: 8080{"}"}{"}"}]

        """);
}
