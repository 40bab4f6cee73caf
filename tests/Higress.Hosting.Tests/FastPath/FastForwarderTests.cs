using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Higress.Core.Diagnostics;
using Higress.Hosting.Sources;
using Higress.Hosting.Tests.Runtime;
using Higress.Hosting.Tests.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Higress.Hosting.Tests.FastPath;

/// <summary>
/// The fast path between a real gateway and real Kestrel backends: it is taken for plain HTTP/1.1 rules and not for
/// what it leaves to YARP, and what the backend and the client see is the same with it on and off.
/// </summary>
public sealed class FastForwarderTests
{
    private const string EditedRoute = """
        match: [{uri: {prefix: /api}}]
        rewrite: {uri: /v2, authority: backend.internal}
        headers: {request: {set: {x-set: s}, remove: [x-drop]}, response: {add: {x-resp: r}}}
        route: [{destination: {host: app, port: PORT}}]
        """;

    [Fact]
    public async Task Plain_requests_take_the_fast_path_over_one_reused_upstream_connection()
    {
        await using var backend = await RecordingBackend.StartAsync(c => c.Response.WriteAsync(c.Connection.Id));
        await using var gateway = await StartAsync(backend, LoopbackGateway.ForwardTo("app", backend.Port));
        using var counter = new FastPathCounter(gateway);

        var connections = new HashSet<string>();
        for (var i = 0; i < 5; i++)
        {
            connections.Add(await gateway.Client.GetStringAsync("/x"));
        }

        Assert.Equal(5, counter.Count);
        Assert.Single(connections);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Header_edits_rewrites_host_and_forwarding_headers_are_the_same_on_both_paths(bool fastPath)
    {
        await using var backend = await RecordingBackend.StartAsync();
        await using var gateway = await StartAsync(backend, EditedRoute.Replace("PORT", backend.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), fastPath);
        using var counter = new FastPathCounter(gateway);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/items?a=1&b=%20");
        request.Headers.Add("x-drop", "d");
        request.Headers.Add("x-keep", "k");
        request.Headers.Add("X-Forwarded-Host", "spoofed");

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("r", Assert.Single(response.Headers.GetValues("x-resp")));
        Assert.Equal(fastPath ? 1 : 0, counter.Count);
        var seen = Assert.Single(backend.Requests);
        Assert.Equal("/v2/items", seen.Path);
        Assert.Equal("backend.internal", seen.Headers["Host"]);
        Assert.Equal("s", seen.Headers["x-set"]);
        Assert.Equal("k", seen.Headers["x-keep"]);
        Assert.False(seen.Headers.ContainsKey("x-drop"));
        Assert.Equal("127.0.0.1", seen.Headers["X-Forwarded-For"]);
        Assert.Equal("http", seen.Headers["X-Forwarded-Proto"]);
        Assert.Equal($"127.0.0.1:{gateway.Port}", seen.Headers["X-Forwarded-Host"]);
    }

    [Fact]
    public async Task Large_content_length_and_chunked_bodies_arrive_whole_in_both_directions()
    {
        var payload = RandomNumberGenerator.GetBytes((3 * 1024 * 1024) + 17);
        var echo = await LoopbackBackend.StartAsync((app, port) => (App: app, Port: port), _ => EchoAsync);
        try
        {
            await using var gateway = await StartAsync(echo.Port, LoopbackGateway.ForwardTo("app", echo.Port));
            using var counter = new FastPathCounter(gateway);
            foreach (var (query, chunkedRequest) in new[] { ("?length", false), ("", true), ("?length", true), ("", false) })
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/echo" + query) { Content = new ByteArrayContent(payload) };
                request.Headers.TransferEncodingChunked = chunkedRequest;
                using var response = await gateway.Client.SendAsync(request);
                var echoed = await response.Content.ReadAsByteArrayAsync();

                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(query.Length == 0, response.Headers.TransferEncodingChunked == true);
                Assert.True(payload.AsSpan().SequenceEqual(echoed), $"body of {query} chunked={chunkedRequest} differs: {echoed.Length} bytes");
            }

            Assert.Equal(4, counter.Count);
        }
        finally
        {
            await LoopbackBackend.StopAsync(echo.App);
        }

        // The body goes back with a length when the query asks for one, chunked otherwise.
        static async Task EchoAsync(HttpContext context)
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            if (context.Request.Query.ContainsKey("length"))
            {
                context.Response.ContentLength = body.Length;
            }

            await context.Response.Body.WriteAsync(body.GetBuffer().AsMemory(0, (int)body.Length), context.RequestAborted);
        }
    }

    [Fact]
    public async Task A_rule_whose_plugins_act_only_on_requests_takes_the_fast_path_and_they_still_decide()
    {
        await using var backend = await RecordingBackend.StartAsync(c => c.Response.WriteAsync("ok"));
        await using var gateway = await StartWithPluginsAsync(backend, "{name: key-auth, config: {consumers: [{name: alice, credential: k1}], keys: [x-api-key]}}");
        using var counter = new FastPathCounter(gateway);

        using var refused = await gateway.Client.GetAsync("/x");
        using var keyed = new HttpRequestMessage(HttpMethod.Get, "/x") { Headers = { { "x-api-key", "k1" } } };
        using var allowed = await gateway.Client.SendAsync(keyed);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("ok", await allowed.Content.ReadAsStringAsync());
        Assert.Equal("alice", Assert.Single(backend.Requests).Headers["X-Mse-Consumer"]);
        Assert.Equal(1, counter.Count);
    }

    [Fact]
    public async Task A_rule_with_a_plugin_that_acts_on_responses_is_left_to_yarp()
    {
        await using var backend = await RecordingBackend.StartAsync(c => c.Response.WriteAsync("ok"));
        await using var gateway = await StartWithPluginsAsync(backend, "{name: cors, config: {allow_origins: [\"https://a.example\"]}}");
        using var counter = new FastPathCounter(gateway);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/x") { Headers = { { "Origin", "https://a.example" } } };
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal("https://a.example", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Equal(0, counter.Count);
    }

    [Fact]
    public async Task A_rule_with_retries_is_left_to_yarp_and_retries()
    {
        var calls = 0;
        await using var backend = await RecordingBackend.StartAsync(c =>
        {
            c.Response.StatusCode = Interlocked.Increment(ref calls) == 1 ? 503 : 200;
            return Task.CompletedTask;
        });
        await using var gateway = await StartAsync(backend, LoopbackGateway.ForwardTo("app", backend.Port) + "\nretries: {attempts: 2, retryOn: 5xx}");
        using var counter = new FastPathCounter(gateway);

        using var response = await gateway.Client.GetAsync("/x");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, calls);
        Assert.Equal(0, counter.Count);
    }

    [Fact]
    public async Task A_route_timeout_ends_a_fast_path_request_with_504()
    {
        await using var backend = await RecordingBackend.StartAsync(c => Task.Delay(TimeSpan.FromSeconds(30), c.RequestAborted));
        await using var gateway = await StartAsync(backend, LoopbackGateway.ForwardTo("app", backend.Port) + "\ntimeout: 200ms");
        using var counter = new FastPathCounter(gateway);

        using var response = await gateway.Client.GetAsync("/x");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal(1, counter.Count);
    }

    [Fact]
    public async Task Upgrade_expect_continue_and_http10_requests_go_through_yarp()
    {
        await using var backend = await RecordingBackend.StartAsync();
        await using var gateway = await StartAsync(backend, LoopbackGateway.ForwardTo("app", backend.Port));
        using var counter = new FastPathCounter(gateway);

        using var expect = new HttpRequestMessage(HttpMethod.Post, "/x") { Content = new StringContent("body") };
        expect.Headers.ExpectContinue = true;
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.SendAsync(expect)).StatusCode);
        Assert.StartsWith("HTTP/1.1 200", await RawAsync(gateway.Port, "GET /x HTTP/1.0\r\nHost: a\r\n\r\n"), StringComparison.Ordinal);
        var upgrade = await RawAsync(gateway.Port, "GET /x HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n");

        Assert.Contains(" 200 ", upgrade.Split("\r\n")[0], StringComparison.Ordinal);
        Assert.Equal(3, backend.Requests.Count);
        Assert.Equal(0, counter.Count);
    }

    [Fact]
    public async Task With_the_fast_path_off_every_request_goes_through_yarp()
    {
        await using var backend = await RecordingBackend.StartAsync();
        await using var gateway = await StartAsync(backend, LoopbackGateway.ForwardTo("app", backend.Port), fastPath: false);
        using var counter = new FastPathCounter(gateway);

        Assert.Equal("ok", await gateway.Client.GetStringAsync("/x"));
        Assert.Equal(0, counter.Count);
    }

    private static Task<LoopbackGateway> StartAsync(RecordingBackend backend, string rule, bool fastPath = true) => StartAsync(backend.Port, rule, fastPath);

    // A rule forwarding to the backend with one plugin binding, as YAML.
    private static Task<LoopbackGateway> StartWithPluginsAsync(RecordingBackend backend, string plugin) =>
        StartAsync(backend, LoopbackGateway.ForwardTo("app", backend.Port) + $"\nplugins: [{plugin}]");

    private static Task<LoopbackGateway> StartAsync(int port, string rule, bool fastPath = true) =>
        LoopbackGateway.StartAsync(
            r => r.AddService("app", port, ["127.0.0.1"]).AddYaml(LoopbackGateway.Route(rule)),
            new Dictionary<string, string?> { ["Higress:FastPath:Enabled"] = fastPath ? "true" : "false" });

    // One request on a fresh connection, the response read until the gateway closes it or 64 KiB arrived.
    private static async Task<string> RawAsync(int port, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var buffer = new byte[65536];
        var total = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (total < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(total), timeout.Token);
            if (read == 0 || Encoding.ASCII.GetString(buffer, 0, total + read).Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                total += read;
                break;
            }

            total += read;
        }

        return Encoding.ASCII.GetString(buffer, 0, total);
    }

    /// <summary>Counts the gateway's fast-path requests (<c>higress.fastpath.requests</c> on its own meter).</summary>
    private sealed class FastPathCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _count;

        public FastPathCounter(LoopbackGateway gateway)
        {
            var meter = gateway.Services.GetRequiredService<HigressMeter>().Meter;
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, meter) && instrument.Name == MetricNames.FastPathRequests)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
            _listener.Start();
        }

        public long Count => Interlocked.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }
}
