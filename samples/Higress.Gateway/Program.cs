using Higress.Gateway;

// Socket completions run on the socket event threads instead of hopping to the thread pool (docs/performance.md,
// "Threads"). The runtime reads this once, when the first socket starts, so it is set before anything else runs;
// a value from the environment (0 to turn it off) wins.
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
{
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
}

// The reference gateway: the program of the edge and sidecar container.
// Settings and the demo files are found beside the binary, so it runs from any working directory;
// every option can be given on the command line, e.g. --Higress:ConfigDir=DIR --Higress:Admin:Port=15021.
// Traces and metrics go wherever Higress:Telemetry (or the OTEL_EXPORTER_OTLP_* variables) say; /metrics always works.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
var higress = builder.Configuration.GetSection("Higress");

DemoBackends? demo = null;
if (DemoBackends.IsWanted(higress))
{
    demo = await DemoBackends.StartAsync();
    builder.Services.AddHigress(higress, demo.Configure).WithTelemetry().AddKubernetes();
}
else
{
    // The cluster source watches only with --Higress:Kubernetes:Enabled=true (docs/kubernetes.md, "Watching a cluster").
    builder.Services.AddHigress(higress).WithTelemetry().AddKubernetes();
}

var app = builder.Build();
app.MapHigress();
if (demo is not null)
{
    app.Lifetime.ApplicationStarted.Register(() => demo.PrintWelcome(app.Logger));
    // After the drain, not at SIGTERM: the demo listener keeps serving through Higress:Shutdown:DrainDelay.
    app.Lifetime.ApplicationStopped.Register(() => demo.DisposeAsync().AsTask().GetAwaiter().GetResult());
}

await app.RunAsync();
