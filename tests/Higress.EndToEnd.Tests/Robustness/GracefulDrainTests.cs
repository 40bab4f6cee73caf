using System.Net;
using Higress.EndToEnd.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Higress.EndToEnd.Tests.Robustness;

/// <summary>
/// SIGTERM to the reference host (a real process) under a steady stream of requests to a slow backend: <c>/readyz</c>
/// turns 503 at once, no accepted request fails, and the process exits with code 0.
/// </summary>
public sealed class GracefulDrainTests
{
    private const int Workers = 4;
    private const int MaxRequestsPerWorker = 200;

    [Fact]
    public async Task Sigterm_UnderLoad_ReadyzTurns503_NoAcceptedRequestFails_AndExitsZero()
    {
        await using var backend = await SlowBackend.StartAsync();
        var port = FreePorts.Next();
        await using var host = await ReferenceHostProcess.StartAsync(Files(port, backend.Port), extraArgs: ["--Higress:Shutdown:DrainDelay=2s", "--Higress:Shutdown:Timeout=10s"]);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(port, "example.com", "/slow")).Status);

        // Each worker sends requests until one cannot connect (the listener stopped accepting); any other failure,
        // and any non-200 answer, is a request the gateway accepted and then failed.
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var failures = new List<string>();
        var served = 0;
        var stream = Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < MaxRequestsPerWorker; i++)
            {
                try
                {
                    using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/slow"));
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        var answer = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                        lock (failures)
                        {
                            failures.Add(answer);
                        }
                    }

                    Interlocked.Increment(ref served);
                }
                catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConnectionError)
                {
                    return;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    lock (failures)
                    {
                        failures.Add(ex.ToString());
                    }

                    return;
                }
            }
        })).ToArray();

        await WaitAsync(() => Volatile.Read(ref served) >= Workers * 2, "requests to flow");
        await host.TerminateAsync();

        // The signal arrives asynchronously; readiness must turn within the drain delay, while the admin port still serves.
        var body = string.Empty;
        for (var attempt = 0; attempt < 100 && !body.Contains("draining", StringComparison.Ordinal); attempt++)
        {
            var (status, text) = await host.Client.AdminAsync("/readyz");
            body = status == HttpStatusCode.ServiceUnavailable ? text : string.Empty;
        }

        Assert.Contains("not ready: draining", body, StringComparison.Ordinal);

        // Serving goes on during the delay: requests sent now are answered.
        var before = Volatile.Read(ref served);
        await WaitAsync(() => Volatile.Read(ref served) >= before + Workers, "requests served during the drain delay");

        var exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(60));
        await Task.WhenAll(stream);
        Assert.True(failures.Count == 0, string.Join("\n", failures) + "\noutput:\n" + host.Output);
        Assert.Equal(0, exitCode);
        Assert.Contains("SIGTERM: /readyz answers 503", host.Output, StringComparison.Ordinal);
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        for (var attempt = 0; attempt < 3000 && !condition(); attempt++)
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(10);
        }

        Assert.True(condition(), $"gave up waiting for {what}");
    }

    private static Dictionary<string, string> Files(int port, int backendPort) => new()
    {
        ["services.yaml"] = ConformanceWorld.ServiceYaml(ConformanceWorld.Infra, "slow-backend", backendPort),
        ["gateway.yaml"] = ConformanceWorld.SingleListenerGatewayYaml(port),
        ["route.yaml"] = ConformanceWorld.CatchAllRouteYaml("slow-backend"),
    };

    /// <summary>A backend that answers every request after 200 ms, so that requests are in flight when SIGTERM arrives.</summary>
    private sealed class SlowBackend : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private SlowBackend(WebApplication app, int port)
        {
            _app = app;
            Port = port;
        }

        public int Port { get; }

        public static async Task<SlowBackend> StartAsync()
        {
            var port = FreePorts.Next();
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
            var app = builder.Build();
            app.Run(async context =>
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), context.RequestAborted);
                await context.Response.WriteAsync("slow ok", context.RequestAborted);
            });
            await app.StartAsync();
            return new SlowBackend(app, port);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
