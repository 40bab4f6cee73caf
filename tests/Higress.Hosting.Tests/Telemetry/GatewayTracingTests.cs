using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Higress.Hosting.Sources;
using Higress.Hosting.Telemetry;
using Higress.Hosting.Tests.Runtime;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Higress.Hosting.Tests.Telemetry;

/// <summary>
/// Traces through real gateways and backends on loopback: the gateway span is a child of the caller's, backends get
/// the gateway span as parent (W3C, B3 single, B3 multi), sampling follows the caller, and a Zipkin collector receives
/// the spans with the gateway attributes. The tests share one class: a tracer provider listens to the process-wide
/// <c>Higress</c> source, so two of them at once would sample each other's requests.
/// </summary>
public sealed class GatewayTracingTests
{
    private static readonly Uri Root = new("/", UriKind.Relative);

    [Fact]
    public async Task A_request_through_two_gateway_hops_is_one_trace_whose_spans_chain_and_reach_a_Zipkin_collector()
    {
        await using var zipkin = await RecordingBackend.StartAsync(c =>
        {
            c.Response.StatusCode = StatusCodes.Status202Accepted;
            return Task.CompletedTask;
        });
        await using var last = await RecordingBackend.StartAsync();
        var gatewayPort = LoopbackGateway.FreePort();
        using var hopClient = new HttpClient();

        // The middle service calls the gateway again and passes on the trace context it received, as an instrumented
        // service without spans of its own would.
        await using var caller = await RecordingBackend.StartAsync(async c =>
        {
            using var next = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{gatewayPort}/hop2"));
            next.Headers.TryAddWithoutValidation("traceparent", c.Request.Headers["traceparent"].ToString());
            using var answer = await hopClient.SendAsync(next, c.RequestAborted);
            c.Response.StatusCode = (int)answer.StatusCode;
            await c.Response.WriteAsync(await answer.Content.ReadAsStringAsync(c.RequestAborted), c.RequestAborted);
        });

        // A host whose ASP.NET Core request activity exists but is not exported: the gateway span must not name it.
        using var aspNetCore = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(aspNetCore);

        await using var gateway = await LoopbackGateway.StartAsync(
            r => r.AddService("caller", caller.Port, ["127.0.0.1"]).AddService("last", last.Port, ["127.0.0.1"]).AddYaml(string.Create(CultureInfo.InvariantCulture, $$$"""
                apiVersion: networking.higress.io/v1alpha1
                kind: Route
                metadata: {name: hops}
                spec:
                  http:
                  - name: first
                    match: [{uri: {prefix: /hop1}}]
                    route: [{destination: {host: caller, port: {{{caller.Port}}} } }]
                  - name: second
                    match: [{uri: {prefix: /hop2}}]
                    route: [{destination: {host: last, port: {{{last.Port}}} } }]
                """)),
            new Dictionary<string, string?>
            {
                ["Higress:Telemetry:Zipkin:Endpoint"] = $"http://127.0.0.1:{zipkin.Port}/api/v2/spans",
                ["Higress:Telemetry:ServiceName"] = "gateway-under-test",
                ["Higress:Telemetry:SamplingRatio"] = "1",
            },
            h => h.WithTelemetry(),
            gatewayPort);

        var (traceId, clientSpanId) = (ActivityTraceId.CreateRandom().ToHexString(), ActivitySpanId.CreateRandom().ToHexString());
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/hop1", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-{clientSpanId}-01");
        using var response = await gateway.Client.SendAsync(request);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        // A span ends when the gateway's pipeline returns, which can be a moment after the client has read the whole
        // response (Kestrel runs it inline on the connection's thread): flush until both hops' spans are in, bounded.
        var tracer = gateway.Services.GetRequiredService<TracerProvider>();
        var spans = await Eventually.ReadAsync(
            () =>
            {
                Assert.True(tracer.ForceFlush(10_000));
                return Task.FromResult(ZipkinSpans(zipkin).Where(s => s.GetProperty("traceId").GetString() == traceId).ToList());
            },
            found => found.Count >= 2);

        Assert.Equal(2, spans.Count);
        var first = spans.Single(s => Tag(s, "url.path") == "/hop1");
        var second = spans.Single(s => Tag(s, "url.path") == "/hop2");

        // One chain: client -> gateway (hop 1) -> caller -> gateway (hop 2) -> last backend.
        Assert.Equal(clientSpanId, first.GetProperty("parentId").GetString());
        Assert.Equal(first.GetProperty("id").GetString(), second.GetProperty("parentId").GetString());
        var known = spans.Select(s => s.GetProperty("id").GetString()).Append(clientSpanId).ToHashSet();
        Assert.All(spans, s => Assert.Contains(s.GetProperty("parentId").GetString(), known));
        var lastHeaders = Assert.Single(last.Requests).Headers;
        Assert.Equal($"00-{traceId}-{second.GetProperty("id").GetString()}-01", lastHeaders["traceparent"]);

        foreach (var (span, path, port) in new[] { (first, "/hop1", caller.Port), (second, "/hop2", last.Port) })
        {
            Assert.Equal("SERVER", span.GetProperty("kind").GetString());
            Assert.Equal("gateway-under-test", span.GetProperty("localEndpoint").GetProperty("serviceName").GetString());
            Assert.Equal(path, Tag(span, "url.path"));
            Assert.Equal("GET", Tag(span, "http.request.method"));
            Assert.Equal("200", Tag(span, "http.response.status_code"));
            Assert.Equal("default/gw", Tag(span, "higress.gateway"));
            Assert.False(string.IsNullOrEmpty(Tag(span, "higress.listener")));
            Assert.StartsWith("Route/default/hops/", Tag(span, "higress.route"), StringComparison.OrdinalIgnoreCase);
            Assert.False(string.IsNullOrEmpty(Tag(span, "higress.cluster")));
            Assert.StartsWith($"http://127.0.0.1:{port}", Tag(span, "higress.destination"), StringComparison.Ordinal);
            Assert.Equal("0", Tag(span, "higress.retries"));
        }
    }

    [Fact]
    public async Task Sampling_is_parent_based_a_sampled_caller_is_followed_and_a_new_trace_is_not_sampled_at_ratio_0()
    {
        await using var backend = await RecordingBackend.StartAsync();
        await using var gateway = await StartAsync(backend, new() { ["Higress:Telemetry:SamplingRatio"] = "0" });
        var traceId = ActivityTraceId.CreateRandom().ToHexString();

        await SendAsync(gateway, ("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01"));
        await SendAsync(gateway);

        var received = backend.Requests.ToArray();
        Assert.Matches($"^00-{traceId}-[0-9a-f]{{16}}-01$", received[0].Headers["traceparent"]);

        // A dropped trace still propagates, marked not sampled, so that the services behind drop it too.
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-00$", received[1].Headers["traceparent"]);
    }

    [Fact]
    public async Task B3_single_header_is_read_and_written_with_the_gateway_span_as_parent()
    {
        await using var backend = await RecordingBackend.StartAsync();
        await using var gateway = await StartAsync(backend, new() { ["Higress:Telemetry:Propagators:0"] = "b3" });
        var (traceId, spanId) = (ActivityTraceId.CreateRandom().ToHexString(), ActivitySpanId.CreateRandom().ToHexString());

        await SendAsync(gateway, ("b3", $"{traceId}-{spanId}-1"));

        var headers = Assert.Single(backend.Requests).Headers;
        var parts = headers["b3"].Split('-');
        Assert.Equal(traceId, parts[0]);
        Assert.NotEqual(spanId, parts[1]);
        Assert.Equal("1", parts[2]);
        Assert.False(headers.ContainsKey("traceparent"));
    }

    [Fact]
    public async Task B3_multi_headers_with_a_64_bit_trace_id_are_read_and_written_as_one_trace()
    {
        await using var backend = await RecordingBackend.StartAsync();
        await using var gateway = await StartAsync(backend, new() { ["Higress:Telemetry:Propagators:0"] = "b3multi", ["Higress:Telemetry:Propagators:1"] = "tracecontext" });
        var spanId = ActivitySpanId.CreateRandom().ToHexString();

        await SendAsync(gateway, ("X-B3-TraceId", "463ac35c9f6413ad"), ("X-B3-SpanId", spanId), ("X-B3-Sampled", "1"));

        var headers = Assert.Single(backend.Requests).Headers;
        Assert.Equal("0000000000000000463ac35c9f6413ad", headers["X-B3-TraceId"]);
        Assert.NotEqual(spanId, headers["X-B3-SpanId"]);
        Assert.Equal("1", headers["X-B3-Sampled"]);
        Assert.Equal($"00-0000000000000000463ac35c9f6413ad-{headers["X-B3-SpanId"]}-01", headers["traceparent"]);
    }

    [Fact]
    public async Task With_telemetry_disabled_the_callers_context_passes_through_unchanged()
    {
        await using var backend = await RecordingBackend.StartAsync();
        await using var gateway = await StartAsync(backend, new() { ["Higress:Telemetry:Enabled"] = "false" });
        var traceparent = $"00-{ActivityTraceId.CreateRandom().ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01";

        await SendAsync(gateway, ("traceparent", traceparent));

        Assert.Equal(traceparent, Assert.Single(backend.Requests).Headers["traceparent"]);
    }

    [Fact]
    public async Task Without_an_exporter_no_span_is_made_until_a_processor_is_added()
    {
        await using var backend = await RecordingBackend.StartAsync();
        await using var gateway = await StartAsync(backend, []);
        var traceparent = $"00-{ActivityTraceId.CreateRandom().ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01";

        // The tracer selects the Higress source but sends nowhere: the caller's context passes through, none is made up.
        await SendAsync(gateway, ("traceparent", traceparent));
        await SendAsync(gateway);

        var received = backend.Requests.ToArray();
        Assert.Equal(traceparent, received[0].Headers["traceparent"]);
        Assert.False(received[1].Headers.ContainsKey("traceparent"));

        // A processor added to the running provider is seen within a second, and the gateway's spans reach it (the
        // Higress source is process-wide: the processor may also see other tests' gateways, so ours is found by id).
        var ended = new EndedSpans();
        gateway.Services.GetRequiredService<TracerProvider>().AddProcessor(ended);
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            await SendAsync(gateway);
            return backend.Requests.Last().Headers.ContainsKey("traceparent");
        }));
        var sent = backend.Requests.Last().Headers["traceparent"];
        var span = await Eventually.ReadAsync(
            () => Task.FromResult(ended.Spans.FirstOrDefault(s => sent == $"00-{s.TraceId.ToHexString()}-{s.SpanId.ToHexString()}-01")),
            found => found is not null);
        Assert.NotNull(span);
        Assert.Equal(GatewayTelemetry.SourceName, span.Source.Name);
    }

    private sealed class EndedSpans : BaseProcessor<Activity>
    {
        public System.Collections.Concurrent.ConcurrentQueue<Activity> Spans { get; } = new();

        public override void OnEnd(Activity data) => Spans.Enqueue(data);
    }

    private static Task<LoopbackGateway> StartAsync(RecordingBackend backend, Dictionary<string, string?> settings) =>
        LoopbackGateway.StartAsync(
            r => r.AddService("up", backend.Port, ["127.0.0.1"]).AddYaml(LoopbackGateway.Route(LoopbackGateway.ForwardTo("up", backend.Port))),
            settings,
            h => h.WithTelemetry());

    private static async Task SendAsync(LoopbackGateway gateway, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Root);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await gateway.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    private static IEnumerable<JsonElement> ZipkinSpans(RecordingBackend zipkin) =>
        zipkin.Requests.SelectMany(r => JsonDocument.Parse(r.Body).RootElement.EnumerateArray().Select(s => s.Clone()));

    private static string? Tag(JsonElement span, string name) =>
        span.TryGetProperty("tags", out var tags) && tags.TryGetProperty(name, out var value) ? value.GetString() : null;
}
