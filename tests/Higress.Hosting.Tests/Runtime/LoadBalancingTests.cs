using System.Net;
using Higress.Hosting.Runtime;
using Higress.Hosting.Sources;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy;

namespace Higress.Hosting.Tests.Runtime;

/// <summary>ServiceEntry <c>loadBalancer.simple</c> on three real Kestrel backends behind a real gateway.</summary>
public sealed class LoadBalancingTests
{
    private static string Config(string simple, IReadOnlyList<SleepingBackend> backends) =>
        LoopbackGateway.Pool(backends.Select(b => b.Port), $"loadBalancer: {{simple: {simple}}}");

    private static Task WithBackendsAsync(Func<SleepingBackend[], Task> test) => SleepingBackend.WithManyAsync(3, test);

    private static async Task GetOkAsync(LoopbackGateway gateway, int count)
    {
        for (var i = 0; i < count; i++)
        {
            using var response = await gateway.Client.GetAsync(new Uri("/", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Round_robin_spreads_300_requests_evenly()
    {
        await WithBackendsAsync(async backends =>
        {
            await using var gateway = await LoopbackGateway.StartAsync(r => r.AddYaml(Config("ROUND_ROBIN", backends)));

            await GetOkAsync(gateway, 300);

            Assert.All(backends, b => Assert.InRange(b.Requests, 95, 105));
        });
    }

    [Fact]
    public async Task Random_reaches_every_backend()
    {
        await WithBackendsAsync(async backends =>
        {
            await using var gateway = await LoopbackGateway.StartAsync(r => r.AddYaml(Config("RANDOM", backends)));

            await GetOkAsync(gateway, 300);

            Assert.Equal(300, backends.Sum(b => b.Requests));
            Assert.All(backends, b => Assert.True(b.Requests > 0));
        });
    }

    [Fact]
    public async Task Least_request_sends_to_the_idle_backend_while_the_others_hold_slow_requests()
    {
        await WithBackendsAsync(async backends =>
        {
            await using var gateway = await LoopbackGateway.StartAsync(r => r.AddYaml(Config("LEAST_REQUEST", backends)));
            using var stop = new CancellationTokenSource();
            var slow = new List<Task>();
            for (var i = 0; i < 2; i++)
            {
                slow.Add(gateway.Client.GetAsync(new Uri("/sleep/60000", UriKind.Relative), stop.Token));

                // Each slow request must be in flight before the next is balanced, so that they land on two backends.
                for (var wait = 0; backends.Sum(b => b.Requests) <= i && wait < 200; wait++)
                {
                    await Task.Delay(25);
                }
            }

            Assert.Equal(2, backends.Sum(b => b.Requests));
            var idle = Assert.Single(backends, b => b.Requests == 0);

            await GetOkAsync(gateway, 30);

            Assert.Equal(30, idle.Requests);
            Assert.Equal(32, backends.Sum(b => b.Requests));
            await stop.CancelAsync();
            await Task.WhenAll(slow.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        });
    }

    [Fact]
    public async Task A_changed_policy_is_republished_to_yarp()
    {
        await WithBackendsAsync(async backends =>
        {
            using var source = new CodeResourceSource(r => r.AddYaml(Config("ROUND_ROBIN", backends)));
            await using var gateway = await LoopbackGateway.StartAsync(_ => { }, higress: h => h.Services.AddSingleton<Core.Resources.Sources.IResourceSource>(source));
            await GetOkAsync(gateway, 3);
            Assert.Equal("RoundRobin", await PolicyAsync(gateway, "RoundRobin"));

            source.Update(r => r.AddYaml(Config("LEAST_REQUEST", backends)));
            gateway.Services.GetRequiredService<HigressConfigurationLoop>().Rebuild();

            Assert.Equal("LeastRequests", await PolicyAsync(gateway, "LeastRequests"));
            await GetOkAsync(gateway, 3);
        });
    }

    // YARP applies a published config on its own thread; wait a bounded while for the expected policy.
    private static async Task<string?> PolicyAsync(LoopbackGateway gateway, string expected)
    {
        var lookup = gateway.Services.GetRequiredService<IProxyStateLookup>();
        string? policy = null;
        for (var attempt = 0; attempt < 100 && policy != expected; attempt++)
        {
            policy = lookup.GetClusters().Select(c => c.Model.Config.LoadBalancingPolicy).SingleOrDefault();
            if (policy != expected)
            {
                await Task.Delay(20);
            }
        }

        return policy;
    }
}
