using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Higress.Hosting.AccessLog;
using Higress.Hosting.Admin;
using Higress.Hosting.Tests.Resilience;
using Higress.Hosting.Tests.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace Higress.Hosting.Tests.AccessLog;

/// <summary>The access log against a real gateway and real backends on 127.0.0.1: fields, flags, formats, sampling, back-pressure.</summary>
public sealed class AccessLogTests
{
    private const string TraceId = "0af7651916cd43dd8448eb211c80319c";

    private static string Rules(int up, int closed, int failing) => string.Create(CultureInfo.InvariantCulture, $$$"""
        apiVersion: networking.higress.io/v1alpha1
        kind: Route
        metadata: {name: r}
        spec:
          http:
          - name: ok
            match: [{uri: {prefix: /ok}}]
            route: [{destination: {host: up, port: {{{up}}}}}]
          - name: auth
            match: [{uri: {prefix: /auth}}]
            route: [{destination: {host: up, port: {{{up}}}}}]
            plugins: [{name: key-auth, config: {consumers: [{name: alice, credential: k-alice}], keys: [x-api-key]}}]
          - name: closed
            match: [{uri: {prefix: /closed}}]
            route: [{destination: {host: down, port: {{{closed}}}}}]
          - name: limited
            match: [{uri: {prefix: /limited}}]
            directResponse: {status: 200, body: {string: ok}}
            rateLimit: {requestsPerUnit: 1, unit: minute, key: none}
          - name: fault
            match: [{uri: {prefix: /fault}}]
            route: [{destination: {host: up, port: {{{up}}}}}]
            fault: {abort: {percentage: {value: 100}, httpStatus: 503}}
          - name: slow
            match: [{uri: {prefix: /sleep}}]
            route: [{destination: {host: up, port: {{{up}}}}}]
            timeout: 100ms
          - name: retry
            match: [{uri: {prefix: /retry}}]
            route: [{destination: {host: failing, port: {{{failing}}}}}]
            retries: {attempts: 1, retryOn: 5xx}
          - name: local
            match: [{uri: {prefix: /local}}]
            directResponse: {status: 200, body: {string: local}}
        """);

    private static async Task WithGatewayAsync(CapturedAccessLog log, IDictionary<string, string?>? settings, Func<LoopbackGateway, int, Task> test)
    {
        await using var up = await SleepingBackend.StartAsync();
        await using var failing = await StatusBackend.StartAsync(503);
        var closed = LoopbackGateway.FreePort();
        await using var gateway = await log.StartGatewayAsync(
            r => r.AddService("up", up.Port, ["127.0.0.1"]).AddService("down", closed, ["127.0.0.1"]).AddService("failing", failing.Port, ["127.0.0.1"])
                .AddYaml(Rules(up.Port, closed, failing.Port)),
            settings);
        await test(gateway, up.Port);
    }

    private static async Task<HttpStatusCode> SendAsync(LoopbackGateway gateway, HttpMethod method, string path, string? body = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await gateway.Client.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        return response.StatusCode;
    }

    [Fact]
    public async Task Every_request_gets_one_json_line_with_every_field()
    {
        // ASP.NET Core starts its request activity (which adopts the caller's traceparent) only for a listener.
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
        };
        ActivitySource.AddActivityListener(listener);
        var log = new CapturedAccessLog();
        await WithGatewayAsync(log, null, async (gateway, upPort) =>
        {
            Assert.Equal(HttpStatusCode.OK, await SendAsync(
                gateway, HttpMethod.Post, "/ok/items?api_key=s3cret&x=1", "hello",
                ("X-Forwarded-For", "203.0.113.7"), ("User-Agent", "test-agent/1.0"), ("x-request-id", "req-123"),
                ("traceparent", $"00-{TraceId}-b7ad6b7169203331-01")));
            Assert.Equal(HttpStatusCode.OK, await SendAsync(gateway, HttpMethod.Get, "/auth", null, ("x-api-key", "k-alice")));
            Assert.Equal(HttpStatusCode.OK, await SendAsync(gateway, HttpMethod.Get, "/local"));

            var lines = await log.WaitForLinesAsync(3);
            Assert.Equal(3, lines.Count);
            var first = JsonNode.Parse(lines[0])!.AsObject();
            Assert.Equal(
                ["start_time", "method", "path", "protocol", "response_code", "response_flags", "bytes_received", "bytes_sent", "duration",
                 "upstream_service_time", "upstream_host", "upstream_cluster", "route_name", "consumer", "trace_id", "request_id", "authority",
                 "x_forwarded_for", "user_agent", "downstream_remote_address"],
                first.Select(p => p.Key));
            Assert.EndsWith("Z", (string?)first["start_time"], StringComparison.Ordinal);
            Assert.True(DateTimeOffset.TryParse((string?)first["start_time"], CultureInfo.InvariantCulture, out _));
            Assert.Equal("POST", (string?)first["method"]);
            Assert.Equal("/ok/items?api_key=<redacted>&x=1", (string?)first["path"]);
            Assert.Equal("HTTP/1.1", (string?)first["protocol"]);
            Assert.Equal(200, (int)first["response_code"]!);
            Assert.Equal("-", (string?)first["response_flags"]);
            Assert.Equal(5, (long)first["bytes_received"]!);
            Assert.Equal(2, (long)first["bytes_sent"]!);
            Assert.True((double)first["duration"]! >= (double)first["upstream_service_time"]!);
            Assert.True((double)first["upstream_service_time"]! >= 0);
            Assert.Equal($"127.0.0.1:{upPort}", (string?)first["upstream_host"]);
            Assert.False(string.IsNullOrEmpty((string?)first["upstream_cluster"]));
            Assert.Contains("r", (string?)first["route_name"], StringComparison.Ordinal);
            Assert.Null((string?)first["consumer"]);
            Assert.Equal(TraceId, (string?)first["trace_id"]);
            Assert.Equal("req-123", (string?)first["request_id"]);
            Assert.Equal($"127.0.0.1:{gateway.Port}", (string?)first["authority"]);
            Assert.Equal("203.0.113.7", (string?)first["x_forwarded_for"]);
            Assert.Equal("test-agent/1.0", (string?)first["user_agent"]);
            Assert.StartsWith("127.0.0.1:", (string?)first["downstream_remote_address"], StringComparison.Ordinal);

            var authenticated = JsonNode.Parse(lines[1])!;
            Assert.Equal("alice", (string?)authenticated["consumer"]);

            // A local answer has no upstream.
            var local = JsonNode.Parse(lines[2])!;
            Assert.Equal(5, (long)local["bytes_sent"]!);
            Assert.Null(local["upstream_host"]);
            Assert.Null(local["upstream_service_time"]);
        });
    }

    [Fact]
    public async Task With_a_tracer_the_line_carries_the_trace_id_of_the_gateways_span_even_for_a_request_without_traceparent()
    {
        // ASP.NET Core's request activity starts a trace of its own for a request without traceparent; the gateway's
        // span (the one exported) starts another, and that is the one an operator looks up from the log line.
        var spans = new System.Collections.Concurrent.ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Microsoft.AspNetCore" or "Higress",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (activity.Source.Name == "Higress")
                {
                    spans.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var log = new CapturedAccessLog();
        await WithGatewayAsync(log, null, async (gateway, _) =>
        {
            Assert.Equal(HttpStatusCode.OK, await SendAsync(gateway, HttpMethod.Get, "/ok/traced", null, ("x-request-id", "traced-1")));

            var line = JsonNode.Parse(Assert.Single(await log.WaitForLinesAsync(1)))!;
            var traceId = (string?)line["trace_id"];
            Assert.NotNull(traceId);
            Assert.Contains(spans, span => span.TraceId.ToHexString() == traceId && span.GetTagItem("url.path") as string == "/ok/traced");
        });
    }

    [Fact]
    public async Task The_gateways_own_answers_carry_Envoys_response_flags()
    {
        var log = new CapturedAccessLog();
        await WithGatewayAsync(log, null, async (gateway, _) =>
        {
            (string Path, HttpStatusCode Status, string Flags)[] cases =
            [
                ("/ok", HttpStatusCode.OK, "-"),
                ("/nothing-matches", HttpStatusCode.NotFound, "NR"),
                ("/auth", HttpStatusCode.Unauthorized, "UAEX"),
                ("/closed", HttpStatusCode.BadGateway, "UF"),
                ("/limited", HttpStatusCode.OK, "-"),
                ("/limited", HttpStatusCode.TooManyRequests, "RL"),
                ("/fault", HttpStatusCode.ServiceUnavailable, "FI"),
                ("/sleep/5000", HttpStatusCode.GatewayTimeout, "UT"),
                ("/retry", HttpStatusCode.ServiceUnavailable, "URX"),
            ];
            foreach (var (path, status, _) in cases)
            {
                Assert.Equal(status, await SendAsync(gateway, HttpMethod.Get, path));
            }

            var lines = await log.WaitForLinesAsync(cases.Length);
            Assert.Equal(cases.Length, lines.Count);
            var actual = lines.Select(l => JsonNode.Parse(l)!).Select(j => ((string?)j["path"], (int)j["response_code"]!, (string?)j["response_flags"]));
            Assert.Equal(cases.Select(c => ((string?)c.Path, (int)c.Status, (string?)c.Flags)), actual);
        });
    }

    [Fact]
    public async Task The_text_format_is_Envoys_default_line_with_the_gateways_fields_after_it()
    {
        var log = new CapturedAccessLog();
        await WithGatewayAsync(log, new Dictionary<string, string?> { ["Higress:AccessLog:Format"] = "text" }, async (gateway, upPort) =>
        {
            Assert.Equal(HttpStatusCode.OK, await SendAsync(gateway, HttpMethod.Get, "/ok/x", null, ("User-Agent", "agent \"quoted\""), ("x-request-id", "req-7")));
            Assert.Equal(HttpStatusCode.NotFound, await SendAsync(gateway, HttpMethod.Get, "/none"));

            var lines = await log.WaitForLinesAsync(2);
            Assert.Equal(2, lines.Count);
            var time = @"\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\]";
            var ms = @"\d+(\.\d+)?";
            Assert.Matches(new Regex(
                $@"^{time} ""GET /ok/x HTTP/1\.1"" 200 - 0 2 {ms} {ms} ""-"" ""agent \\""quoted\\"""" ""req-7"" ""127\.0\.0\.1:{gateway.Port}"" ""127\.0\.0\.1:{upPort}"" ""[^""]+"" ""[^""]+"" ""-"" - 127\.0\.0\.1:\d+$"),
                lines[0]);
            Assert.Matches(new Regex($@"^{time} ""GET /none HTTP/1\.1"" 404 NR 0 \d+ {ms} - ""-"" ""-"" ""[^""]+"" ""127\.0\.0\.1:{gateway.Port}"" ""-"" ""-"" ""-"" ""-"" - 127\.0\.0\.1:\d+$"), lines[1]);
        });
    }

    [Fact]
    public async Task A_writer_that_blocks_neither_fails_nor_holds_requests_and_the_dropped_lines_are_counted()
    {
        var log = new CapturedAccessLog(blocked: true);
        const int requests = 40;
        await WithGatewayAsync(log, new Dictionary<string, string?> { ["Higress:AccessLog:QueueSize"] = "4" }, async (gateway, _) =>
        {
            for (var i = 0; i < requests; i++)
            {
                Assert.Equal(HttpStatusCode.OK, await SendAsync(gateway, HttpMethod.Get, "/local"));
            }

            var writer = gateway.Services.GetRequiredService<AccessLogWriter>();
            Assert.Empty(log.Lines);

            // The writer holds one batch in its stuck write and the queue holds 4: every other line was dropped.
            Assert.InRange(writer.Dropped, requests - 4 - 10, requests - 4);
            var metrics = gateway.Services.GetRequiredService<PrometheusText>().Render();
            Assert.Contains($"higress_access_log_dropped_total {writer.Dropped.ToString(CultureInfo.InvariantCulture)}\n", metrics, StringComparison.Ordinal);

            // Once the sink takes data again, what was kept is written.
            log.Release();
            var kept = requests - (int)writer.Dropped;
            Assert.Equal(kept, (await log.WaitForLinesAsync(kept)).Count);
        });
    }

    [Fact]
    public async Task A_sample_ratio_of_0_logs_nothing_and_1_logs_every_request()
    {
        var none = new CapturedAccessLog();
        await WithGatewayAsync(none, new Dictionary<string, string?> { ["Higress:AccessLog:SampleRatio"] = "0" }, async (gateway, _) =>
        {
            for (var i = 0; i < 10; i++)
            {
                Assert.Equal(HttpStatusCode.OK, await SendAsync(gateway, HttpMethod.Get, "/local"));
            }
        });
        Assert.Empty(none.Lines);

        var all = new CapturedAccessLog();
        await WithGatewayAsync(all, new Dictionary<string, string?> { ["Higress:AccessLog:SampleRatio"] = "1" }, async (gateway, _) =>
        {
            for (var i = 0; i < 10; i++)
            {
                Assert.Equal(HttpStatusCode.OK, await SendAsync(gateway, HttpMethod.Get, "/local"));
            }

            Assert.Equal(10, (await all.WaitForLinesAsync(10)).Count);
        });
    }

    [Theory]
    [InlineData(0.25)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void A_sample_ratio_logs_that_share_of_requests(double ratio)
    {
        var random = new Random(1234);
        var sampled = Enumerable.Range(0, 10_000).Count(_ => AccessLogMiddleware.IsSampled(ratio, random));

        // Binomial: the standard deviation is at most 50 in 10,000; 5 of them is far outside chance.
        Assert.InRange(sampled, (ratio * 10_000) - 250, (ratio * 10_000) + 250);
    }

    [Theory]
    [InlineData("Higress:AccessLog:SampleRatio", "1.5", "Higress:AccessLog:SampleRatio: 1.5 is not a share")]
    [InlineData("Higress:AccessLog:QueueSize", "0", "Higress:AccessLog:QueueSize: 0 leaves no room")]
    public async Task Bad_settings_fail_the_start_with_the_setting_and_the_fix(string key, string value, string message)
    {
        var log = new CapturedAccessLog();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => log.StartGatewayAsync(r => { }, new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
