// The sidecar sample's app (README.md): GET /hello answers with a greeting; GET / calls http://greeter.internal/hello
// with a plain HttpClient and answers with what came back. HttpClient takes its proxy from HTTP_PROXY, which points at
// the sidecar's outbound port, so the name resolves there (a ServiceEntry) and the mesh Route's header edit applies.
using System.Globalization;

var builder = WebApplication.CreateSlimBuilder(args);
var port = int.Parse(builder.Configuration["Sample:Port"] ?? "8080", CultureInfo.InvariantCulture);
var target = builder.Configuration["Sample:Target"] ?? "http://greeter.internal/hello";
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, port));
var app = builder.Build();
using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

app.MapGet("/hello", (HttpRequest request) => $"hello (x-mesh: {request.Headers["x-mesh"]})");

app.MapGet("/", async (HttpRequest request, CancellationToken aborted) =>
{
    using var response = await client.GetAsync(new Uri(target), aborted);
    var body = await response.Content.ReadAsStringAsync(aborted);
    return $"app (x-sidecar: {request.Headers["x-sidecar"]}) called {target}: {(int)response.StatusCode} {body}";
});

await app.RunAsync();
