// gRPC unary load for bench/grpc.sh: a real gRPC server (Grpc.AspNetCore, h2c) and a closed-loop Grpc.Net.Client load
// generator that counts only calls that ended with status OK.
// Usage: Higress.Bench.Grpc serve <port>
//        Higress.Bench.Grpc load <url> <seconds> <concurrency>   prints "<calls/s> <ok calls> <failed calls>"
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Grpc.Net.Client;
using Higress.Bench.Grpc;
using Microsoft.AspNetCore.Server.Kestrel.Core;

if (args is ["serve", var port])
{
    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.ClearProviders();
    builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, int.Parse(port, CultureInfo.InvariantCulture), o => o.Protocols = HttpProtocols.Http2));
    builder.Services.AddGrpc();
    var app = builder.Build();
    app.MapGrpcService<Echo>();
    await app.RunAsync();
    return 0;
}

if (args is ["load", var url, var seconds, var concurrency])
{
    // One HTTP/2 connection per 100 concurrent streams, as a gRPC client pool would open them.
    using var channel = GrpcChannel.ForAddress(url, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
    });
    var invoker = channel.CreateCallInvoker();
    var ok = 0L;
    var failed = 0L;
    var end = Stopwatch.GetTimestamp() + (long)(double.Parse(seconds, CultureInfo.InvariantCulture) * Stopwatch.Frequency);
    var start = Stopwatch.GetTimestamp();
    var workers = Enumerable.Range(0, int.Parse(concurrency, CultureInfo.InvariantCulture)).Select(async _ =>
    {
        while (Stopwatch.GetTimestamp() < end)
        {
            try
            {
                await invoker.AsyncUnaryCall(EchoBase.UnaryMethod, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(10)), "hello from the bench");
                Interlocked.Increment(ref ok);
            }
            catch (RpcException)
            {
                Interlocked.Increment(ref failed);
            }
        }
    });
    await Task.WhenAll(workers);
    var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ok / elapsed:F0} {ok} {failed}"));
    return 0;
}

Console.Error.WriteLine("usage: serve <port> | load <url> <seconds> <concurrency>");
return 2;

namespace Higress.Bench.Grpc
{
    /// <summary>The contract, as generated code would have it: bound by name to <see cref="Echo"/>'s override.</summary>
    [BindServiceMethod(typeof(EchoBase), nameof(BindService))]
    internal abstract class EchoBase
    {
        private static readonly Marshaller<string> Utf8 = Marshallers.Create(Encoding.UTF8.GetBytes, Encoding.UTF8.GetString);

        public static Method<string, string> UnaryMethod { get; } = new(MethodType.Unary, "bench.Echo", "Unary", Utf8, Utf8);

        public static void BindService(ServiceBinderBase binder, EchoBase? service) =>
            binder.AddMethod(UnaryMethod, service is null ? null! : service.Unary);

        public abstract Task<string> Unary(string request, ServerCallContext context);
    }

    internal sealed class Echo : EchoBase
    {
        public override Task<string> Unary(string request, ServerCallContext context) => Task.FromResult(request);
    }
}
