using System.Net;
using System.Text;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Higress.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A real gRPC server (Grpc.AspNetCore on h2c, 127.0.0.1) with the four call shapes on string messages, service
/// <c>demo.Echo</c>: <c>Unary</c> echoes, <c>ServerStream</c> answers "n" with n messages, <c>ClientStream</c> joins what it
/// got, <c>Bidi</c> echoes each message, <c>Slow</c> waits until the call is cancelled (and records that it was).
/// </summary>
public sealed class GrpcEchoBackend : IAsyncDisposable
{
    private static readonly Marshaller<string> Utf8 = Marshallers.Create(Encoding.UTF8.GetBytes, Encoding.UTF8.GetString);

    private readonly WebApplication _app;

    private GrpcEchoBackend(WebApplication app, Calls calls)
    {
        _app = app;
        Received = calls;
        Port = new Uri(app.Urls.First()).Port;
    }

    /// <summary>The service's name.</summary>
    public const string Service = "demo.Echo";

    /// <summary>The server's port.</summary>
    public int Port { get; }

    /// <summary>What the server saw.</summary>
    public Calls Received { get; }

    /// <summary>The unary method.</summary>
    public static Method<string, string> Unary { get; } = new(MethodType.Unary, Service, "Unary", Utf8, Utf8);

    /// <summary>The server-streaming method.</summary>
    public static Method<string, string> ServerStream { get; } = new(MethodType.ServerStreaming, Service, "ServerStream", Utf8, Utf8);

    /// <summary>The client-streaming method.</summary>
    public static Method<string, string> ClientStream { get; } = new(MethodType.ClientStreaming, Service, "ClientStream", Utf8, Utf8);

    /// <summary>The bidirectional-streaming method.</summary>
    public static Method<string, string> Bidi { get; } = new(MethodType.DuplexStreaming, Service, "Bidi", Utf8, Utf8);

    /// <summary>The unary method  that never answers.</summary>
    public static Method<string, string> Slow { get; } = new(MethodType.Unary, Service, "Slow", Utf8, Utf8);

    /// <summary>Starts a server.</summary>
    public static async Task<GrpcEchoBackend> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        var calls = new Calls();
        builder.Services.AddSingleton(calls);
        builder.Services.AddGrpc();
        var app = builder.Build();
        app.MapGrpcService<EchoService>();
        await app.StartAsync();
        return new GrpcEchoBackend(app, calls);
    }

    /// <summary>A Service (h2c, so the gateway speaks HTTP/2 to it) and its EndpointSlice on 127.0.0.1:<paramref name="targetPort"/>.</summary>
    public static string ServiceYaml(string name, int port, int targetPort) => $$$"""
        apiVersion: v1
        kind: Service
        metadata: {name: {{{name}}} }
        spec:
          ports: [{port: {{{port}}}, appProtocol: kubernetes.io/h2c}]
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: {{{name}}}-1
          labels: {kubernetes.io/service-name: {{{name}}} }
        addressType: IPv4
        endpoints: [{addresses: ["127.0.0.1"]}]
        ports: [{port: {{{targetPort}}} }]
        """;

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _app.DisposeAsync();

    /// <summary>What the server saw: the paths called and the Slow calls it saw cancelled.</summary>
    public sealed class Calls
    {
        private readonly TaskCompletionSource _slowCancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Every method path called, in order.</summary>
        public System.Collections.Concurrent.ConcurrentQueue<string> Paths { get; } = new();

        /// <summary>The <c>grpc-timeout</c> header of the last call that had one.</summary>
        public string? LastGrpcTimeout { get; internal set; }

        /// <summary>Waits (at most 10 s) until a Slow call was cancelled: the gateway gave up on it.</summary>
        public async Task WaitSlowCancelledAsync()
        {
            var done = await Task.WhenAny(_slowCancelled.Task, Task.Delay(TimeSpan.FromSeconds(10)));
            Assert.True(done == _slowCancelled.Task, "no Slow call was cancelled; calls seen: " + string.Join(", ", Paths));
        }

        internal void Saw(ServerCallContext context)
        {
            Paths.Enqueue(context.Method);
            // Grpc.AspNetCore keeps the reserved headers out of RequestHeaders.
            if (context.GetHttpContext().Request.Headers["grpc-timeout"] is [{ } timeout])
            {
                LastGrpcTimeout = timeout;
            }
        }

        internal void Cancelled() => _slowCancelled.TrySetResult();
    }

    /// <summary>
    /// The service contract, as generated code would have it: Grpc.AspNetCore calls <see cref="BindService"/> with a null
    /// instance and binds each method to the override, by name, of a per-call <see cref="EchoService"/>.
    /// </summary>
    [BindServiceMethod(typeof(EchoServiceBase), nameof(BindService))]
    internal abstract class EchoServiceBase
    {
        public static void BindService(ServiceBinderBase binder, EchoServiceBase? service)
        {
            binder.AddMethod(GrpcEchoBackend.Unary, service is null ? null! : service.Unary);
            binder.AddMethod(GrpcEchoBackend.Slow, service is null ? null! : service.Slow);
            binder.AddMethod(GrpcEchoBackend.ServerStream, service is null ? null! : service.ServerStream);
            binder.AddMethod(GrpcEchoBackend.ClientStream, service is null ? null! : service.ClientStream);
            binder.AddMethod(GrpcEchoBackend.Bidi, service is null ? null! : service.Bidi);
        }

        public abstract Task<string> Unary(string request, ServerCallContext context);

        public abstract Task<string> Slow(string request, ServerCallContext context);

        public abstract Task ServerStream(string request, IServerStreamWriter<string> responses, ServerCallContext context);

        public abstract Task<string> ClientStream(IAsyncStreamReader<string> requests, ServerCallContext context);

        public abstract Task Bidi(IAsyncStreamReader<string> requests, IServerStreamWriter<string> responses, ServerCallContext context);
    }

    private sealed class EchoService(Calls calls) : EchoServiceBase
    {
        public override Task<string> Unary(string request, ServerCallContext context)
        {
            calls.Saw(context);
            return Task.FromResult("echo: " + request);
        }

        public override async Task<string> Slow(string request, ServerCallContext context)
        {
            calls.Saw(context);
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(30), context.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                calls.Cancelled();
                throw;
            }

            return request;
        }

        public override async Task ServerStream(string request, IServerStreamWriter<string> responses, ServerCallContext context)
        {
            calls.Saw(context);
            for (var i = 1; i <= int.Parse(request, System.Globalization.CultureInfo.InvariantCulture); i++)
            {
                await responses.WriteAsync("part " + i);
            }
        }

        public override async Task<string> ClientStream(IAsyncStreamReader<string> requests, ServerCallContext context)
        {
            calls.Saw(context);
            var parts = new List<string>();
            await foreach (var part in requests.ReadAllAsync(context.CancellationToken))
            {
                parts.Add(part);
            }

            return string.Join("+", parts);
        }

        public override async Task Bidi(IAsyncStreamReader<string> requests, IServerStreamWriter<string> responses, ServerCallContext context)
        {
            calls.Saw(context);
            await foreach (var part in requests.ReadAllAsync(context.CancellationToken))
            {
                await responses.WriteAsync("echo: " + part);
            }
        }
    }
}
