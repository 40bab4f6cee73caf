using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Higress.Core.Diagnostics;
using Higress.Hosting.Tests.Runtime;
using Microsoft.Extensions.Logging;

namespace Higress.Hosting.Tests.Plugins.ClusterKeyRateLimit;

/// <summary>
/// Redis killed in the middle of traffic: no crash, no request held past the timeout (bounded generously), the
/// configured failure mode, one log line per incident and per recovery, a metric, and limiting again after restart.
/// </summary>
public sealed class RedisFailureTests(Xunit.Abstractions.ITestOutputHelper output)
{
    // Per key: a key whose window Redis already exhausted is refused locally until the window ends, so the outage is
    // seen through new keys.
    private const string Limit = "rule_items: [{limit_by_per_header: x-key, limit_keys: [{key: '*', query_per_minute: 3}]}]\nredis: {service_name: redis.static, timeout: 2000}";

    [Theory]
    [InlineData(false, HttpStatusCode.OK)]
    [InlineData(true, HttpStatusCode.ServiceUnavailable)]
    public async Task A_killed_redis_follows_failure_mode_deny_and_limiting_resumes_after_it_restarts(bool deny, HttpStatusCode duringOutage)
    {
        await using var redis = await RedisServer.StartAsync();
        await using var backend = await SleepingBackend.StartAsync();
        var logs = new LogCollector();
        using var errors = new ErrorCounter();
        await using var gateway = await ClusterKeyRateLimitGateway.StartAsync(
            redis, backend, $"rule_name: outage-{deny}\nfailure_mode_deny: {(deny ? "true" : "false")}\n{Limit}", logs);

        Assert.Equal(3, await ClusterKeyRateLimitPluginTests.AdmittedAsync(gateway, 5, "x-key", "before"));

        await redis.KillAsync();
        for (var i = 0; i < 20; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await SendAsync(gateway, "during-" + i);
            Assert.Equal(duringOutage, response.StatusCode);

            // The timeout is 2 s (no less, so that a loaded machine does not time out a live Redis); the bound is
            // generous, but far below a hang.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"request {i} took {clock.Elapsed}");
        }

        Assert.True(errors.Total > 0, "higress_ratelimit_redis_errors_total counted the failed calls");
        Assert.Equal(1, logs.Count(EventIds.ClusterRateLimitRedisUnavailable));

        await redis.RestartAsync();
        var restarted = Stopwatch.StartNew();
        var refused = false;
        for (var i = 0; i < 200 && !refused && restarted.Elapsed < TimeSpan.FromSeconds(5); i++)
        {
            using var response = await SendAsync(gateway, "after");
            refused = response.StatusCode == HttpStatusCode.TooManyRequests;
            output.WriteLine($"{restarted.ElapsedMilliseconds} ms: {(int)response.StatusCode}");
            await Task.Delay(20);
        }

        foreach (var line in logs.Lines)
        {
            output.WriteLine(line);
        }

        Assert.True(refused, "limiting resumed within 5 s of Redis coming back");
        Assert.Equal(1, logs.Count(EventIds.ClusterRateLimitRedisRecovered));
        Assert.Equal(1, logs.Count(EventIds.ClusterRateLimitRedisUnavailable));
    }

    [Fact]
    public async Task A_redis_that_is_down_from_the_start_fails_open_without_holding_requests()
    {
        var port = TestPorts.Next();
        await using var backend = await SleepingBackend.StartAsync();
        await using var gateway = await LoopbackGateway.StartAsync(r => r.AddService("up", backend.Port, ["127.0.0.1"]).AddYaml(
            $"apiVersion: networking.higress.io/v1alpha1\nkind: ServiceEntry\nmetadata: {{name: redis}}\nspec:\n  hosts: [redis.static]\n  ports: [{{number: {port}, name: redis, protocol: TCP}}]\n  resolution: STATIC\n  endpoints: [{{address: 127.0.0.1}}]\n---\n"
            + LoopbackGateway.Route(LoopbackGateway.ForwardTo("up", backend.Port)) + "---\n" + ClusterKeyRateLimitGateway.Extension($"rule_name: never\n{Limit}")));

        for (var i = 0; i < 10; i++)
        {
            using var response = await SendAsync(gateway, "k" + i);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(LoopbackGateway gateway, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/", UriKind.Relative));
        request.Headers.Add("x-key", key);
        return await gateway.Client.SendAsync(request).WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Counts this process's <c>higress_ratelimit_redis_errors_total</c> measurements.</summary>
    private sealed class ErrorCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _total;

        public ErrorCounter()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == MetricNames.RateLimitRedisErrors)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _total, value));
            _listener.Start();
        }

        public long Total => Interlocked.Read(ref _total);

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>Keeps the event ids the gateway logged.</summary>
    private sealed class LogCollector : ILoggerProvider
    {
        private readonly ConcurrentQueue<(int Id, string Text)> _events = new();

        public IEnumerable<string> Lines => _events.Select(e => $"{e.Id}: {e.Text}");

        public int Count(int eventId) => _events.Count(e => e.Id == eventId);

        public ILogger CreateLogger(string categoryName) => new Logger(_events);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<(int Id, string Text)> events) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) => events.Enqueue((eventId.Id, formatter(state, exception)));
        }
    }
}
