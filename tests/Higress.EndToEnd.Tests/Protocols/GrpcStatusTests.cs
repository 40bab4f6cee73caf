using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Grpc.Core;
using Grpc.Net.Client;
using Higress.EndToEnd.Tests.Infrastructure;

namespace Higress.EndToEnd.Tests.Protocols;

/// <summary>
/// gRPC through the gateway with a real client (Grpc.Net.Client) and a real server (Grpc.AspNetCore): the four call
/// shapes pass through, every answer the gateway gives itself is a gRPC status (HTTP 200, trailers-only), and
/// <c>grpc-timeout</c> bounds the call. The rules are chosen by an <c>x-case</c> header (gRPC metadata).
/// </summary>
public sealed class GrpcStatusTests(GrpcStatusTests.Fixture fixture) : IClassFixture<GrpcStatusTests.Fixture>
{
    private static readonly Marshaller<string> Utf8 = Marshallers.Create(Encoding.UTF8.GetBytes, Encoding.UTF8.GetString);

    private static readonly Method<string, string> Unrouted = new(MethodType.Unary, "demo.Other", "Call", Utf8, Utf8);

    private CallInvoker Client => fixture.Invoker;

    private static CallOptions Case(string name, double deadlineSeconds = 10) =>
        new(new Metadata { { "x-case", name } }, DateTime.UtcNow.AddSeconds(deadlineSeconds));

    [Fact]
    public async Task Unary_and_all_three_streaming_shapes_pass_through()
    {
        var unary = await Client.AsyncUnaryCall(GrpcEchoBackend.Unary, null, Case("ok"), "one");

        using var server = Client.AsyncServerStreamingCall(GrpcEchoBackend.ServerStream, null, Case("ok"), "3");
        var parts = new List<string>();
        await foreach (var part in server.ResponseStream.ReadAllAsync())
        {
            parts.Add(part);
        }

        using var client = Client.AsyncClientStreamingCall(GrpcEchoBackend.ClientStream, null, Case("ok"));
        foreach (var part in new[] { "a", "b", "c" })
        {
            await client.RequestStream.WriteAsync(part);
        }

        await client.RequestStream.CompleteAsync();
        var joined = await client.ResponseAsync;

        using var bidi = Client.AsyncDuplexStreamingCall(GrpcEchoBackend.Bidi, null, Case("ok"));
        var echoes = new List<string>();
        foreach (var part in new[] { "x", "y" })
        {
            // One at a time: each answer arrives before the next message is sent, so both directions are open at once.
            await bidi.RequestStream.WriteAsync(part);
            Assert.True(await bidi.ResponseStream.MoveNext());
            echoes.Add(bidi.ResponseStream.Current);
        }

        await bidi.RequestStream.CompleteAsync();
        Assert.False(await bidi.ResponseStream.MoveNext());

        Assert.Equal("echo: one", unary);
        Assert.Equal(["part 1", "part 2", "part 3"], parts);
        Assert.Equal("a+b+c", joined);
        Assert.Equal(["echo: x", "echo: y"], echoes);
        Assert.Equal(StatusCode.OK, bidi.GetStatus().StatusCode);
    }

    [Fact]
    public async Task No_route_is_UNIMPLEMENTED()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Client.AsyncUnaryCall(Unrouted, null, Case("ok"), "x"));

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
        Assert.Contains("no route matches this request", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_backend_that_cannot_be_reached_is_UNAVAILABLE()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Client.AsyncUnaryCall(GrpcEchoBackend.Unary, null, Case("gone"), "x"));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("could not be reached", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_or_rejected_key_is_UNAUTHENTICATED_and_a_consumer_not_allowed_is_PERMISSION_DENIED()
    {
        var missing = await Assert.ThrowsAsync<RpcException>(async () => await Client.AsyncUnaryCall(GrpcEchoBackend.Unary, null, Case("auth"), "x"));
        var wrong = Case("auth");
        wrong.Headers!.Add("x-api-key", "nobody-key");
        var rejected = await Assert.ThrowsAsync<RpcException>(async () => await Client.AsyncUnaryCall(GrpcEchoBackend.Unary, null, wrong, "x"));
        var bob = Case("auth");
        bob.Headers!.Add("x-api-key", "bob-key");
        var denied = await Assert.ThrowsAsync<RpcException>(async () => await Client.AsyncUnaryCall(GrpcEchoBackend.Unary, null, bob, "x"));
        var alice = Case("auth");
        alice.Headers!.Add("x-api-key", "alice-key");
        var allowed = await Client.AsyncUnaryCall(GrpcEchoBackend.Unary, null, alice, "in");

        Assert.Equal(StatusCode.Unauthenticated, missing.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, rejected.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Equal("echo: in", allowed);
    }

    [Fact]
    public async Task A_spent_rate_limit_is_RESOURCE_EXHAUSTED()
    {
        var first = await Client.AsyncUnaryCall(GrpcEchoBackend.Unary, null, Case("limited"), "first");
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Client.AsyncUnaryCall(GrpcEchoBackend.Unary, null, Case("limited"), "second"));

        Assert.Equal("echo: first", first);
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task A_route_timeout_is_DEADLINE_EXCEEDED_and_cancels_the_backend_call()
    {
        // No client deadline: only the rule's 2 s timeout can end the call.
        var options = new CallOptions(new Metadata { { "x-case", "slow" } });
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Client.AsyncUnaryCall(GrpcEchoBackend.Slow, null, options, "x"));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Contains("did not answer in time", error.Status.Detail, StringComparison.Ordinal);
        await fixture.Backend.Received.WaitSlowCancelledAsync();
    }

    [Fact]
    public async Task The_clients_deadline_is_DEADLINE_EXCEEDED()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Client.AsyncUnaryCall(GrpcEchoBackend.Slow, null, Case("deadline", 0.3), "x"));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
    }

    [Fact]
    public async Task The_gateway_itself_ends_a_call_at_its_grpc_timeout_with_a_trailers_only_DEADLINE_EXCEEDED()
    {
        // The "deadline" rule removes grpc-timeout before forwarding, so the backend cannot enforce it: only the gateway can.
        using var response = await fixture.SendRawAsync(GrpcEchoBackend.Slow.FullName, "application/grpc", ("x-case", "deadline"), ("grpc-timeout", "1S"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("4", Header(response, "grpc-status"));
        Assert.Equal("application/grpc", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.False(string.IsNullOrEmpty(Header(response, "x-request-id")));
        await fixture.Backend.Received.WaitSlowCancelledAsync();
    }

    [Fact]
    public async Task A_rule_timeout_below_the_clients_lowers_the_grpc_timeout_the_backend_sees()
    {
        var reply = await Client.AsyncUnaryCall(GrpcEchoBackend.Unary, null, Case("bounded", deadlineSeconds: 60), "x");

        Assert.Equal("echo: x", reply);
        Assert.Equal("5000m", fixture.Backend.Received.LastGrpcTimeout);
    }

    [Fact]
    public async Task A_local_answer_keeps_its_request_id_and_has_no_body()
    {
        using var response = await fixture.SendRawAsync(Unrouted.FullName, "application/grpc+proto", ("x-request-id", "grpc-test-1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("12", Header(response, "grpc-status"));
        Assert.StartsWith("404 Not Found: no route matches this request; request id: grpc-test-1", Uri.UnescapeDataString(Header(response, "grpc-message")!), StringComparison.Ordinal);
        Assert.Equal("grpc-test-1", Header(response, "x-request-id"));
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_request_that_is_not_grpc_keeps_the_http_answer()
    {
        using var response = await fixture.SendRawAsync(Unrouted.FullName, "application/json");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null(Header(response, "grpc-status"));
        Assert.StartsWith("404 Not Found: no route matches this request", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    /// <summary>One gRPC backend, one GRPC listener, a rule per case.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private readonly int _port = FreePorts.Next();
        private GatewayHost? _gateway;
        private GrpcChannel? _channel;
        private readonly HttpClient _http = new();

        public GrpcEchoBackend Backend { get; private set; } = null!;

        public CallInvoker Invoker { get; private set; } = null!;

        /// <summary>Sends a one-message POST over h2c as a gRPC client would, but reads the HTTP response as it is.</summary>
        public Task<HttpResponseMessage> SendRawAsync(string path, string contentType, params (string Name, string Value)[] headers)
        {
            var message = Encoding.UTF8.GetBytes("x");
            var frame = new byte[5 + message.Length];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
            message.CopyTo(frame, 5);
            var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{_port}{path}") { Content = new ByteArrayContent(frame), Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            request.Headers.TryAddWithoutValidation("te", "trailers");
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            return _http.SendAsync(request);
        }

        public async Task InitializeAsync()
        {
            Backend = await GrpcEchoBackend.StartAsync();
            _gateway = await GatewayHost.StartAsync(new Dictionary<string, string> { ["grpc.yaml"] = Yaml(Backend.Port, FreePorts.Next()) });
            _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{_port}");
            Invoker = _channel.CreateCallInvoker();

            // The first call opens the gateway's connection to the backend and warms both servers, so that the
            // deadlines of the tests measure the calls, not the start-up.
            await Invoker.AsyncUnaryCall(GrpcEchoBackend.Unary, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(30)), "warm-up");
        }

        public async Task DisposeAsync()
        {
            _http.Dispose();
            _channel?.Dispose();
            if (_gateway is not null)
            {
                await _gateway.DisposeAsync();
            }

            await Backend.DisposeAsync();
        }

        private string Yaml(int backendPort, int closedPort) => $$$"""
            apiVersion: networking.higress.io/v1alpha1
            kind: Gateway
            metadata: {name: gw}
            spec:
              listeners: [{protocol: GRPC, port: {{{_port}}}}]
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: grpc}
            spec:
              gateways: [gw]
              http:
              - name: ok
                match: [{uri: {prefix: /demo.Echo/}}]
                route: [{destination: {host: echo, port: 50051}}]
              - name: gone
                match: [{uri: {prefix: /demo.Echo/}, headers: {x-case: {exact: gone} } }]
                route: [{destination: {host: gone, port: 50051}}]
              - name: limited
                match: [{uri: {prefix: /demo.Echo/}, headers: {x-case: {exact: limited} } }]
                rateLimit: {requestsPerUnit: 1, unit: minute, burst: 0, key: none}
                route: [{destination: {host: echo, port: 50051}}]
              - name: slow
                match: [{uri: {prefix: /demo.Echo/}, headers: {x-case: {exact: slow} } }]
                timeout: 2s
                route: [{destination: {host: echo, port: 50051}}]
              - name: bounded
                match: [{uri: {prefix: /demo.Echo/}, headers: {x-case: {exact: bounded} } }]
                timeout: 5s
                route: [{destination: {host: echo, port: 50051}}]
              - name: deadline
                match: [{uri: {prefix: /demo.Echo/}, headers: {x-case: {exact: deadline} } }]
                headers: {request: {remove: [grpc-timeout]}}
                route: [{destination: {host: echo, port: 50051}}]
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: auth}
            spec:
              gateways: [gw]
              http:
              - match: [{uri: {prefix: /demo.Echo/}, headers: {x-case: {exact: auth} } }]
                route: [{destination: {host: echo, port: 50051}}]
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Extension
            metadata: {name: auth}
            spec:
              plugin: key-auth
              targetRefs: [{kind: Route, name: auth}]
              config:
                consumers:
                - {name: alice, credential: alice-key}
                - {name: bob, credential: bob-key}
                keys: [x-api-key]
                allow: [alice]
            ---
            {{{GrpcEchoBackend.ServiceYaml("echo", 50051, backendPort)}}}
            ---
            {{{GrpcEchoBackend.ServiceYaml("gone", 50051, closedPort)}}}
            """;
    }
}
