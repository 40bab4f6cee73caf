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
builder.Services.AddReverseProxy().LoadFromMemory(
    [new RouteConfig { RouteId = "all", ClusterId = "backend", Match = new RouteMatch { Path = "/{**catch-all}" } }],
    [new ClusterConfig { ClusterId = "backend", Destinations = new Dictionary<string, DestinationConfig> { ["d0"] = new() { Address = args[1] } } }]);
var app = builder.Build();
app.MapReverseProxy();
await app.RunAsync();
return 0;
