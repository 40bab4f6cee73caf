// A host that uses Higress.Net from its NuGet package: AddHigress() + MapHigress().
// Run with --self-test to start a local backend, route to it through the gateway and check the answer.
using System.Net.Sockets;

var selfTest = args.Contains("--self-test");
await using var backend = await StartBackendAsync();
var gatewayPort = selfTest ? FreePort() : 8080;

var builder = WebApplication.CreateBuilder(args.Where(a => a != "--self-test").ToArray());
builder.Services.AddHigress(builder.Configuration.GetSection("Higress"), h => h
    .AddGateway("edge", g => g.Http(gatewayPort))
    .AddService("hello", 80, [$"127.0.0.1:{backend.Port}"])
    .AddRoute("hello", r => r.Match(m => m.PathPrefix("/hello")).To("hello", 80)));
builder.Configuration["Higress:BindAddress"] = "127.0.0.1";
builder.Configuration["Higress:Admin:Port"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);

var app = builder.Build();
app.MapHigress();

if (!selfTest)
{
    await app.RunAsync();
    return 0;
}

await app.StartAsync();
using var client = new HttpClient();
string body = string.Empty;
for (var attempt = 0; attempt < 50; attempt++)
{
    try
    {
        body = await client.GetStringAsync(new Uri($"http://127.0.0.1:{gatewayPort}/hello/world"));
        break;
    }
    catch (HttpRequestException)
    {
        await Task.Delay(100);
    }
}

await app.StopAsync();
var ok = body == "hello from /hello/world";
Console.WriteLine(ok ? "self-test passed: " + body : "self-test FAILED: got '" + body + "'");
return ok ? 0 : 1;

static int FreePort()
{
    using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
    listener.Start();
    return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
}

static async Task<Backend> StartBackendAsync()
{
    var builder = WebApplication.CreateSlimBuilder();
    builder.WebHost.UseUrls("http://127.0.0.1:0");
    builder.Logging.ClearProviders();
    var app = builder.Build();
    app.Run(context => context.Response.WriteAsync("hello from " + context.Request.Path));
    await app.StartAsync();
    return new Backend(app, new Uri(app.Urls.First()).Port);
}

internal sealed record Backend(WebApplication App, int Port) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => App.DisposeAsync();
}
