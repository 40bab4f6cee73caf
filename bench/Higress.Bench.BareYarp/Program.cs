// The load test's baseline: YARP alone, one catch-all route to one cluster, configured in memory.
// Usage: Higress.Bench.BareYarp <listen-port> <backend-url>
using System.Globalization;
using Yarp.ReverseProxy.Configuration;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: Higress.Bench.BareYarp <listen-port> <backend-url>");
    return 2;
}

var port = int.Parse(args[0], CultureInfo.InvariantCulture);
var builder = WebApplication.CreateBuilder(args[2..]);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, port));

// Tuned as the reference gateway is (docs/performance.md, "Threads") when started with inline socket completions: the
// load test's "yarp-inline" target, so that the gateway's gain from its threading is not counted as its own design's.
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") == "1")
{
    builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
}

builder.Services.AddReverseProxy().LoadFromMemory(
    [new RouteConfig { RouteId = "all", ClusterId = "backend", Match = new RouteMatch { Path = "/{**catch-all}" } }],
    [new ClusterConfig { ClusterId = "backend", Destinations = new Dictionary<string, DestinationConfig> { ["d0"] = new() { Address = args[1] } } }]);
var app = builder.Build();
app.MapReverseProxy();
await app.RunAsync();
return 0;
