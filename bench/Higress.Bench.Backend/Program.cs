// The load test's upstream: answers every request with a small fixed body, as fast as Kestrel can, or after a delay.
// Usage: Higress.Bench.Backend <port> [--delay-ms N]
//   --delay-ms N   wait N ms before answering (a slow upstream, e.g. the sleeping mirror of bench/resilience.sh)
using System.Globalization;
using System.Text;

var port = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5080;
var delayIndex = Array.IndexOf(args, "--delay-ms");
var delay = delayIndex >= 0 && delayIndex + 1 < args.Length ? TimeSpan.FromMilliseconds(int.Parse(args[delayIndex + 1], CultureInfo.InvariantCulture)) : TimeSpan.Zero;
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, port));
var app = builder.Build();
var body = Encoding.ASCII.GetBytes("hello from the bench backend\n");
app.Run(delay == TimeSpan.Zero ? Answer : async context =>
{
    // A client that gives up (the gateway abandoning a mirrored copy) ends the wait early.
    await Task.Delay(delay, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
    await Answer(context);
});
await app.RunAsync();

Task Answer(HttpContext context)
{
    context.Response.ContentType = "text/plain";
    context.Response.ContentLength = body.Length;
    return context.Response.Body.WriteAsync(body).AsTask();
}
