using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Higress.Hosting.Tests.Runtime;

/// <summary>
/// Route <c>mirror</c> and HTTPRoute <c>RequestMirror</c> on real loopback servers: mirrors get copies with the
/// <c>-shadow</c> Host and the body; a dead or slow mirror leaves the primary answering 200.
/// </summary>
public sealed class RequestMirrorTests
{
    [Fact]
    public async Task A_mirror_receives_a_copy_with_the_shadow_host_and_the_body()
    {
        await using var primary = await SleepingBackend.StartAsync();
        await using var shadow = await RecordingBackend.StartAsync();
        await using var gateway = await LoopbackGateway.StartAsync(r => r
            .AddService("up", primary.Port, ["127.0.0.1"])
            .AddService("shadow", shadow.Port, ["127.0.0.1"])
            .AddYaml(LoopbackGateway.Route(LoopbackGateway.ForwardTo("up", primary.Port) + $"\nmirror: {{host: shadow, port: {shadow.Port}}}")));

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/orders?x=1", UriKind.Relative)) { Content = new StringContent("hello") };
        request.Headers.Host = "api.example.com";
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var copy = await shadow.First.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("api.example.com-shadow", copy.Host);
        Assert.Equal("/orders?x=1", copy.PathAndQuery);
        Assert.Equal("hello", copy.Body);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_body_over_64_KiB_reaches_the_primary_whole_and_the_mirror_not_at_all(bool chunked)
    {
        long dropped = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == Core.Diagnostics.MetricNames.MirrorDropped)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "reason", Value: "body_too_large" })
                {
                    Interlocked.Add(ref dropped, value);
                }
            }
        });
        listener.Start();
        await using var primary = await CountingBackend.StartAsync();
        await using var shadow = await RecordingBackend.StartAsync();
        await using var gateway = await LoopbackGateway.StartAsync(r => r
            .AddService("up", primary.Port, ["127.0.0.1"])
            .AddService("shadow", shadow.Port, ["127.0.0.1"])
            .AddYaml(LoopbackGateway.Route(LoopbackGateway.ForwardTo("up", primary.Port) + $"\nmirror: {{host: shadow, port: {shadow.Port}}}")));

        using var content = new PatternContent(100_000, chunked);
        using var response = await gateway.Client.PostAsync(new Uri("/upload", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new BodyOutcome(100_000, Complete: true, Intact: true), await primary.Outcome);
        Assert.Empty(shadow.Requests);
        Assert.True(Interlocked.Read(ref dropped) >= 1);
    }

    [Fact]
    public async Task Zero_percent_sends_no_copy()
    {
        await using var primary = await SleepingBackend.StartAsync();
        await using var shadow = await RecordingBackend.StartAsync();
        await using var gateway = await LoopbackGateway.StartAsync(r => r
            .AddService("up", primary.Port, ["127.0.0.1"])
            .AddService("shadow", shadow.Port, ["127.0.0.1"])
            .AddYaml(LoopbackGateway.Route(LoopbackGateway.ForwardTo("up", primary.Port) + $"\nmirror: {{host: shadow, port: {shadow.Port}}}\nmirrorPercentage: {{value: 0}}")));

        for (var i = 0; i < 20; i++)
        {
            using var response = await gateway.Client.GetAsync(new Uri("/a", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Empty(shadow.Requests);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_dead_or_sleeping_mirror_leaves_the_primary_at_200(bool refuses)
    {
        await using var primary = await SleepingBackend.StartAsync();
        await using var slow = await SleepingBackend.StartAsync();
        var mirrorPort = refuses ? LoopbackGateway.FreePort() : slow.Port;
        await using var gateway = await LoopbackGateway.StartAsync(r => r
            .AddService("up", primary.Port, ["127.0.0.1"])
            .AddService("shadow", mirrorPort, ["127.0.0.1"])
            .AddYaml(LoopbackGateway.Route(LoopbackGateway.ForwardTo("up", primary.Port) + $"\nmirror: {{host: shadow, port: {mirrorPort}}}")));

        for (var i = 0; i < 5; i++)
        {
            // The primary's path does not sleep; the sleeping mirror gets the same path, so it sleeps only via /sleep.
            using var response = await gateway.Client.GetAsync(new Uri(refuses ? "/a" : "/sleep/5000", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_mirror_that_refuses_connections_is_left_alone_and_its_copies_are_counted_as_unreachable()
    {
        await using var primary = await SleepingBackend.StartAsync();
        var closed = LoopbackGateway.FreePort();
        await using var gateway = await LoopbackGateway.StartAsync(r => r
            .AddService("up", primary.Port, ["127.0.0.1"])
            .AddService("shadow", closed, ["127.0.0.1"])
            .AddYaml(LoopbackGateway.Route(LoopbackGateway.ForwardTo("up", primary.Port) + $"\nmirror: {{host: shadow, port: {closed}}}")));
        var metrics = gateway.Services.GetRequiredService<Higress.Hosting.Admin.PrometheusText>();

        // The first copy meets the refusal; once it has, the next copies within the back-off are not even attempted.
        using (var first = await gateway.Client.GetAsync(new Uri("/a", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        for (var i = 0; i < 300 && Unreachable(metrics) == 0; i++)
        {
            await Task.Delay(20);
            using var response = await gateway.Client.GetAsync(new Uri("/a", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.True(Unreachable(metrics) > 0, metrics.Render());
    }

    private static long Unreachable(Higress.Hosting.Admin.PrometheusText metrics)
    {
        var line = metrics.Render().Split('\n').FirstOrDefault(l => l.StartsWith("higress_mirror_dropped_total{", StringComparison.Ordinal) && l.Contains("reason=\"unreachable\"", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task HTTPRoute_RequestMirror_copies_to_two_mirrors()
    {
        await using var primary = await SleepingBackend.StartAsync();
        await using var one = await RecordingBackend.StartAsync();
        await using var two = await RecordingBackend.StartAsync();
        await using var gateway = await LoopbackGateway.StartAsync(r => r
            .AddService("up", primary.Port, ["127.0.0.1"])
            .AddService("one", one.Port, ["127.0.0.1"])
            .AddService("two", two.Port, ["127.0.0.1"])
            .AddYaml($$$"""
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: web}
                spec:
                  parentRefs: [{group: networking.higress.io, kind: Gateway, name: gw}]
                  rules:
                  - backendRefs: [{name: up, port: {{{primary.Port}}} }]
                    filters:
                    - {type: RequestMirror, requestMirror: {backendRef: {name: one, port: {{{one.Port}}} }, percent: 100}}
                    - {type: RequestMirror, requestMirror: {backendRef: {name: two, port: {{{two.Port}}} }, fraction: {numerator: 1, denominator: 1} } }
                """));

        using var response = await gateway.Client.GetAsync(new Uri("/b", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/b", (await one.First.WaitAsync(TimeSpan.FromSeconds(30))).PathAndQuery);
        Assert.Equal("/b", (await two.First.WaitAsync(TimeSpan.FromSeconds(30))).PathAndQuery);
    }

    private sealed record Seen(string Host, string PathAndQuery, string Body);

    /// <summary>A loopback backend that records the Host, path and body of each request.</summary>
    private sealed class RecordingBackend : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly TaskCompletionSource<Seen> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private RecordingBackend(WebApplication app, int port)
        {
            _app = app;
            Port = port;
        }

        public int Port { get; }

        public ConcurrentQueue<Seen> Requests { get; } = new();

        public Task<Seen> First => _first.Task;

        public static Task<RecordingBackend> StartAsync() =>
            LoopbackBackend.StartAsync((app, port) => new RecordingBackend(app, port), b => b.RecordAsync);

        public ValueTask DisposeAsync() => LoopbackBackend.StopAsync(_app);

        private async Task RecordAsync(HttpContext context)
        {
            using var reader = new StreamReader(context.Request.Body);
            var seen = new Seen(context.Request.Host.Value ?? string.Empty, context.Request.Path + context.Request.QueryString, await reader.ReadToEndAsync());
            Requests.Enqueue(seen);
            _first.TrySetResult(seen);
        }
    }
}
