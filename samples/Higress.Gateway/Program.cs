using Higress.Gateway;

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
