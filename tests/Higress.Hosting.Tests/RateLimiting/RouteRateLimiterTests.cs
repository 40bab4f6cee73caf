using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Higress.Hosting.Admin;
using Higress.Hosting.RateLimiting;
using Higress.Hosting.Runtime;
using Higress.Hosting.Tests.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace Higress.Hosting.Tests.RateLimiting;

/// <summary>Route <c>rateLimit</c> end to end: a real gateway before a real Kestrel backend; counts, never times.</summary>
public sealed class RouteRateLimiterTests
{
    private static Task<LoopbackGateway> GatewayAsync(SleepingBackend backend, string rateLimit) => LoopbackGateway.StartAsync(r => r
        .AddService("up", backend.Port, ["127.0.0.1"])
        .AddYaml(LoopbackGateway.Route(LoopbackGateway.ForwardTo("up", backend.Port) + "\nrateLimit: " + rateLimit)));

    private static async Task<(int Passed, List<HttpResponseMessage> Refused)> SendAsync(LoopbackGateway gateway, int count, Action<HttpRequestMessage>? edit = null)
    {
        var passed = 0;
        var refused = new List<HttpResponseMessage>();
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/", UriKind.Relative));
            edit?.Invoke(request);
            var response = await gateway.Client.SendAsync(request);
            Assert.Equal("5", Assert.Single(response.Headers.GetValues(RouteRateLimiter.LimitHeader)));
            Assert.Single(response.Headers.GetValues(RouteRateLimiter.RemainingHeader));
            Assert.Single(response.Headers.GetValues(RouteRateLimiter.ResetHeader));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                passed++;
                response.Dispose();
            }
            else
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
                refused.Add(response);
            }
        }

        return (passed, refused);
    }

    [Fact]
    public async Task Five_per_minute_without_burst_admits_5_of_20_requests_and_refuses_the_rest_with_Retry_After()
    {
        await using var backend = await SleepingBackend.StartAsync();
        await using var gateway = await GatewayAsync(backend, "{requestsPerUnit: 5, unit: minute, burst: 0, key: none}");

        // A token every 12 s: no refill lands while the 20 requests run, however slow the machine.
        var (passed, refused) = await SendAsync(gateway, 20);

        Assert.Equal(5, passed);
        Assert.Equal(15, refused.Count);
        Assert.All(refused, r => Assert.InRange(r.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0, 1, 12));
        Assert.Equal(passed, backend.Requests);
        Assert.Contains(
            string.Create(CultureInfo.InvariantCulture, $"higress_ratelimit_rejections_total{{route=\"{gateway.Services.GetRequiredService<HigressRuntime>().Current.Plan.Routes[0].Id}\"}} {refused.Count}\n"),
            gateway.Services.GetRequiredService<PrometheusText>().Render(),
            StringComparison.Ordinal);
        refused.ForEach(r => r.Dispose());
    }

    [Fact]
    public async Task Each_header_value_has_its_own_budget_and_requests_without_the_header_share_one()
    {
        await using var backend = await SleepingBackend.StartAsync();
        await using var gateway = await GatewayAsync(backend, "{requestsPerUnit: 5, unit: minute, key: 'header:x-api-key'}");

        var (a, _) = await SendAsync(gateway, 8, r => r.Headers.Add("x-api-key", "a"));
        var (b, _) = await SendAsync(gateway, 8, r => r.Headers.Add("x-api-key", "b"));
        var (none, refused) = await SendAsync(gateway, 8);

        Assert.Equal((5, 5, 5), (a, b, none));
        Assert.All(refused, r => Assert.InRange(r.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0, 1, 12));
        Assert.Equal(15, backend.Requests);
    }

    [Fact]
    public async Task Key_none_shares_one_budget_across_header_and_query_values()
    {
        await using var backend = await SleepingBackend.StartAsync();
        await using var gateway = await GatewayAsync(backend, "{requestsPerUnit: 3, unit: minute, burst: 2, key: none}");

        var (a, _) = await SendAsync(gateway, 4, r => r.Headers.Add("x-api-key", "a"));
        var (b, _) = await SendAsync(gateway, 4, r => r.Headers.Add("x-api-key", "b"));

        // The bucket holds requestsPerUnit + burst = 5 tokens for everyone together.
        Assert.Equal(5, a + b);
        Assert.Equal(5, backend.Requests);
    }

    [Fact]
    public async Task Query_values_have_their_own_budgets()
    {
        await using var backend = await SleepingBackend.StartAsync();
        await using var gateway = await GatewayAsync(backend, "{requestsPerUnit: 5, unit: hour, key: 'query:user'}");

        var (a, _) = await SendAsync(gateway, 6, r => r.RequestUri = new Uri("/?user=a", UriKind.Relative));
        var (b, _) = await SendAsync(gateway, 6, r => r.RequestUri = new Uri("/?user=b", UriKind.Relative));

        Assert.Equal((5, 5), (a, b));
    }

    [Fact]
    public async Task Ip_key_gives_each_client_address_its_own_budget()
    {
        await using var backend = await SleepingBackend.StartAsync();
        await using var gateway = await GatewayAsync(backend, "{requestsPerUnit: 5, unit: minute, key: ip}");
        using var second = ClientFrom(IPAddress.Parse("127.0.0.2"), gateway.Port);

        var (first, _) = await SendAsync(gateway, 7);
        var passed = 0;
        for (var i = 0; i < 7; i++)
        {
            using var response = await second.GetAsync(new Uri("/", UriKind.Relative));
            passed += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
        }

        Assert.Equal((5, 5), (first, passed));
        Assert.Equal(10, backend.Requests);
    }

    // A client whose connections leave from `local` (any 127/8 address is the loopback interface on Linux).
    private static HttpClient ClientFrom(IPAddress local, int port) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, token) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(local, 0));
                await socket.ConnectAsync(context.DnsEndPoint, token);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    {
        BaseAddress = new Uri($"http://127.0.0.1:{port}"),
    };
}
