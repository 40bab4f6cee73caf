using System.Buffers.Binary;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using Grpc.Core;
using Grpc.Net.Client;
using Higress.EndToEnd.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Higress.EndToEnd.Tests.Protocols;

/// <summary>gRPC (real Grpc.Net.Client over an h2c GRPC listener, GRPCRoute) and WebSocket traffic through the gateway.</summary>
public sealed class ProtocolTests : IAsyncLifetime
{
    private readonly int _grpcPort = FreePorts.Next();
    private readonly int _httpPort = FreePorts.Next();
    private WebApplication? _grpcBackend;
    private WebApplication? _wsBackend;
    private GatewayHost? _gateway;

    public async Task InitializeAsync()
    {
        _grpcBackend = await StartGrpcBackendAsync();
        _wsBackend = await StartWebSocketBackendAsync();
        var grpcPort = new Uri(_grpcBackend.Urls.First()).Port;
        var wsPort = new Uri(_wsBackend.Urls.First()).Port;
        _gateway = await GatewayHost.StartAsync(new Dictionary<string, string>
        {
            ["protocols.yaml"] = Yaml(grpcPort, wsPort),
        });
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        if (_grpcBackend is not null)
        {
            await _grpcBackend.DisposeAsync();
        }

        if (_wsBackend is not null)
        {
            await _wsBackend.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_real_grpc_client_reaches_the_backend_through_a_grpc_route()
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{_grpcPort}");
        var invoker = channel.CreateCallInvoker();

        var reply = await invoker.AsyncUnaryCall(SayHello, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(10)), "gateway");
        var missing = await Assert.ThrowsAsync<RpcException>(async () =>
            await invoker.AsyncUnaryCall(Unrouted, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(10)), "x"));

        Assert.Equal("hello gateway via /demo.Greeter/SayHello", reply);
        Assert.Equal(StatusCode.Unimplemented, missing.StatusCode);
    }

    [Fact]
    public async Task A_websocket_is_proxied_both_ways()
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Host", "ws.example.com");
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{_httpPort}/ws"), CancellationToken.None);

        await socket.SendAsync(Encoding.UTF8.GetBytes("ping"), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[64];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);

        Assert.Equal("echo: ping", Encoding.UTF8.GetString(buffer, 0, received.Count));
    }

    private static readonly Marshaller<string> Utf8 = Marshallers.Create(Encoding.UTF8.GetBytes, Encoding.UTF8.GetString);

    private static readonly Method<string, string> SayHello = new(MethodType.Unary, "demo.Greeter", "SayHello", Utf8, Utf8);

    private static readonly Method<string, string> Unrouted = new(MethodType.Unary, "demo.Other", "Call", Utf8, Utf8);

    private string Yaml(int grpcBackendPort, int wsBackendPort) => $$"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: protocols}
        spec:
          gatewayClassName: higress
          listeners:
          - {name: grpc, port: {{_grpcPort}}, protocol: GRPC}
          - {name: http, port: {{_httpPort}}, protocol: HTTP}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: GRPCRoute
        metadata: {name: greeter}
        spec:
          parentRefs: [{name: protocols, sectionName: grpc}]
          rules:
          - matches:
            - method: {service: demo.Greeter, method: SayHello}
            backendRefs: [{name: greeter, port: 50051}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: ws}
        spec:
          parentRefs: [{name: protocols, sectionName: http}]
          rules:
          - matches:
            - path: {type: PathPrefix, value: /ws}
            backendRefs: [{name: ws, port: 80}]
        ---
        {{Service("greeter", 50051, grpcBackendPort, "kubernetes.io/h2c")}}
        ---
        {{Service("ws", 80, wsBackendPort, null)}}
        """;

    private static string Service(string name, int port, int targetPort, string? appProtocol) => $$"""
        apiVersion: v1
        kind: Service
        metadata: {name: {{name}}}
        spec:
          ports: [{port: {{port}}{{(appProtocol is null ? string.Empty : ", appProtocol: " + appProtocol)}}}]
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: {{name}}-1
          labels: {kubernetes.io/service-name: {{name}}}
        addressType: IPv4
        endpoints: [{addresses: ["127.0.0.1"]}]
        ports: [{port: {{targetPort}}}]
        """;

    /// <summary>A minimal gRPC server on h2c: reads one length-prefixed message and answers with one, plus trailers.</summary>
    private static async Task<WebApplication> StartGrpcBackendAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var frame = body.ToArray();
            var name = Encoding.UTF8.GetString(frame, 5, (int)BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(1, 4)));
            var reply = Encoding.UTF8.GetBytes($"hello {name} via {context.Request.Path}");
            var header = new byte[5];
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(1), (uint)reply.Length);
            context.Response.ContentType = "application/grpc";
            context.Response.AppendTrailer("grpc-status", "0");
            await context.Response.Body.WriteAsync(header);
            await context.Response.Body.WriteAsync(reply);
        });
        await app.StartAsync();
        return app;
    }

    private static async Task<WebApplication> StartWebSocketBackendAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.UseWebSockets();
        app.Run(async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = 400;
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[64];
            var message = await socket.ReceiveAsync(buffer, CancellationToken.None);
            var reply = Encoding.UTF8.GetBytes("echo: " + Encoding.UTF8.GetString(buffer, 0, message.Count));
            await socket.SendAsync(reply, WebSocketMessageType.Text, true, CancellationToken.None);
            await socket.ReceiveAsync(buffer, CancellationToken.None);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        });
        await app.StartAsync();
        return app;
    }
}
