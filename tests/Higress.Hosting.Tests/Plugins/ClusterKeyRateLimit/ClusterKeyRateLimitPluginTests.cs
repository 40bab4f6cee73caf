using System.Globalization;
using System.Net;
using Higress.Hosting.Tests.Runtime;
using Xunit.Abstractions;

namespace Higress.Hosting.Tests.Plugins.ClusterKeyRateLimit;

/// <summary>cluster-key-rate-limit end to end: real gateways, a real redis-server, a real backend; counts, not times.</summary>
public sealed class ClusterKeyRateLimitPluginTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Two_gateways_sharing_one_redis_driven_at_three_times_a_limit_of_100_per_second_for_10_seconds_admit_the_limit_in_total()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var backend = await SleepingBackend.StartAsync();
        const string config = """
            rule_name: shared
            rule_items:
            - limit_by_per_header: x-key
              limit_keys: [{key: "*", query_per_second: 100}]
            show_limit_quota_header: true
            redis: {service_name: redis.static}
            """;
        await using var first = await ClusterKeyRateLimitGateway.StartAsync(redis, backend, config);
        await using var second = await ClusterKeyRateLimitGateway.StartAsync(redis, backend, config);
        LoopbackGateway[] gateways = [first, second];

        // Warm both gateways (JIT, connections) on another key, so the schedule measures the limiter, not a cold start.
        foreach (var gateway in gateways)
        {
            Assert.Equal(20, await AdmittedAsync(gateway, 20, "x-other", "warm-up"));
        }

        // A fixed schedule: request i is due at i/300 s and goes to gateway i % 2; a late driver catches up at once,
        // with at most 64 requests in flight so that a loaded machine delays sending rather than queueing thousands.
        // Sending stops at 9.8 s. A window starts with the first request Redis sees after the last one ended (as in
        // Higress), so on a loaded machine the schedule may span 9 windows instead of 10: the windows are counted, not
        // assumed. The one admitted request per window that Redis counted first answers X-RateLimit-Remaining 99.
        const int rate = 300;
        var admitted = new int[2];
        var refused = 0;
        var windows = 0;
        var inFlight = new List<Task>();
        using var slots = new SemaphoreSlim(64);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var sent = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(9.8))
        {
            var due = (int)(clock.Elapsed.TotalSeconds * rate) + 1;
            for (; sent < due && clock.Elapsed < TimeSpan.FromSeconds(9.8); sent++)
            {
                await slots.WaitAsync();
                var index = sent % 2;
                inFlight.Add(SendAsync(gateways[index], index));
            }

            await Task.Delay(2);
        }

        await Task.WhenAll(inFlight).WaitAsync(TimeSpan.FromMinutes(1));
        var sum = admitted[0] + admitted[1];
        output.WriteLine($"sent {sent} in {clock.Elapsed.TotalSeconds:F1} s, {windows} windows, admitted {sum} ({admitted[0]} + {admitted[1]}), refused {refused}");
        Assert.Equal(sent, sum + refused);
        Assert.InRange(windows, 8, 11);
        Assert.InRange(sum, 95 * windows, 105 * windows);
        Assert.True(admitted[0] > 0 && admitted[1] > 0, "both gateways admitted part of the shared limit");

        async Task SendAsync(LoopbackGateway gateway, int index)
        {
            try
            {
                await SendOneAsync(gateway, index);
            }
            finally
            {
                slots.Release();
            }
        }

        async Task SendOneAsync(LoopbackGateway gateway, int index)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/", UriKind.Relative));
            request.Headers.Add("x-key", "k1");
            using var response = await gateway.Client.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Interlocked.Increment(ref admitted[index]);
                if (Header(response, "X-RateLimit-Remaining") == "99")
                {
                    Interlocked.Increment(ref windows);
                }
            }
            else
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
                Interlocked.Increment(ref refused);
            }
        }
    }

    [Fact]
    public async Task Keys_matched_by_regexp_star_and_cidr_rules_each_get_their_own_limit()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var backend = await SleepingBackend.StartAsync();
        await using var gateway = await ClusterKeyRateLimitGateway.StartAsync(redis, backend, """
            rule_name: keys
            rule_items:
            - limit_by_header: x-key
              limit_keys: [{key: 102234, query_per_minute: 1}]
            - limit_by_per_header: x-key
              limit_keys:
              - {key: "regexp:^a", query_per_minute: 3}
              - {key: "*", query_per_minute: 5}
            - limit_by_per_ip: from-header-x-real-ip
              limit_keys:
              - {key: 127.1.0.0/16, query_per_minute: 2}
              - {key: 0.0.0.0/0, query_per_minute: 4}
            redis: {service_name: redis.static}
            """);

        Assert.Equal(1, await AdmittedAsync(gateway, 8, "x-key", "102234"));
        Assert.Equal(3, await AdmittedAsync(gateway, 8, "x-key", "a1"));
        Assert.Equal(3, await AdmittedAsync(gateway, 8, "x-key", "a2"));
        Assert.Equal(5, await AdmittedAsync(gateway, 8, "x-key", "b1"));
        Assert.Equal(2, await AdmittedAsync(gateway, 8, "x-real-ip", "127.1.2.3"));
        Assert.Equal(2, await AdmittedAsync(gateway, 8, "x-real-ip", "127.1.2.4"));
        Assert.Equal(4, await AdmittedAsync(gateway, 8, "x-real-ip", "127.9.9.9"));

        // No item matches (no x-key, no x-real-ip): not limited.
        Assert.Equal(8, await AdmittedAsync(gateway, 8, "x-other", "1"));
    }

    [Fact]
    public async Task A_refusal_has_the_rejected_code_and_message_retry_after_and_the_quota_headers()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var backend = await SleepingBackend.StartAsync();
        await using var gateway = await ClusterKeyRateLimitGateway.StartAsync(redis, backend, """
            rule_name: answers
            global_threshold: {query_per_minute: 2}
            show_limit_quota_header: true
            rejected_code: 403
            rejected_msg: '{"code":-1,"msg":"Too many requests"}'
            redis: {service_name: redis.static, timeout: 2000}
            """);

        using var admitted = await gateway.Client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        Assert.Equal("2", Header(admitted, "X-RateLimit-Limit"));
        Assert.Equal("1", Header(admitted, "X-RateLimit-Remaining"));
        Assert.InRange(int.Parse(Header(admitted, "X-RateLimit-Reset"), CultureInfo.InvariantCulture), 1, 60);

        using var last = await gateway.Client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal("0", Header(last, "X-RateLimit-Remaining"));

        using var refused = await gateway.Client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("""{"code":-1,"msg":"Too many requests"}""", await refused.Content.ReadAsStringAsync());
        Assert.InRange(int.Parse(Header(refused, "Retry-After"), CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal(Header(refused, "Retry-After"), Header(refused, "X-RateLimit-Reset"));
        Assert.Equal("2", Header(refused, "X-RateLimit-Limit"));
        Assert.Equal("0", Header(refused, "X-RateLimit-Remaining"));
    }

    [Fact]
    public async Task Without_quota_headers_a_refusal_is_429_too_many_requests_with_retry_after()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var backend = await SleepingBackend.StartAsync();
        await using var gateway = await ClusterKeyRateLimitGateway.StartAsync(redis, backend, """
            rule_name: defaults
            global_threshold: {query_per_hour: 1}
            redis: {service_name: redis.static}
            """);

        using var admitted = await gateway.Client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        Assert.False(admitted.Headers.Contains("X-RateLimit-Limit"));
        using var refused = await gateway.Client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("Too many requests", await refused.Content.ReadAsStringAsync());
        Assert.InRange(int.Parse(Header(refused, "Retry-After"), CultureInfo.InvariantCulture), 3500, 3600);
        Assert.False(refused.Headers.Contains("X-RateLimit-Limit"));
    }

    internal static async Task<int> AdmittedAsync(LoopbackGateway gateway, int count, string header, string value)
    {
        var admitted = 0;
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/", UriKind.Relative));
            request.Headers.Add(header, value);
            using var response = await gateway.Client.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                admitted++;
            }
            else
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            }
        }

        return admitted;
    }

    private static string Header(HttpResponseMessage response, string name) => Assert.Single(response.Headers.GetValues(name));
}
