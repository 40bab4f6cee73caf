using Higress.Hosting.Listeners;
using Higress.Hosting.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Higress.Hosting.Admin;

/// <summary>
/// The management endpoints on <c>Higress:Admin:Port</c>: <c>/healthz</c>, <c>/readyz</c>, <c>/metrics</c> and
/// <c>/config_dump</c>. They answer only on the admin port, never on a gateway listener.
/// </summary>
internal static class AdminEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints, HigressOptions options)
    {
        if (!options.Admin.Enabled)
        {
            return;
        }

        var host = $"*:{options.Admin.Port}";
        endpoints.MapGet("/healthz", () => Results.Text("ok\n")).RequireHost(host).ExcludeFromDescription();
        endpoints.MapGet("/readyz", (HigressRuntime runtime, ListenerManager listeners) =>
        {
            if (!runtime.HasAppliedPlan)
            {
                return Results.Text("not ready: no configuration applied yet\n", statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            return listeners.AreOpen()
                ? Results.Text("ready\n")
                : Results.Text("not ready: listeners are opening\n", statusCode: StatusCodes.Status503ServiceUnavailable);
        }).RequireHost(host).ExcludeFromDescription();
        endpoints.MapGet("/config_dump", (HigressRuntime runtime) => Results.Text(ConfigDump.ToJson(ConfigDump.Build(runtime)), "application/json"))
            .RequireHost(host).ExcludeFromDescription();
        endpoints.MapGet("/metrics", (PrometheusText metrics) => Results.Text(metrics.Render(), "text/plain; version=0.0.4"))
            .RequireHost(host).ExcludeFromDescription();
    }
}
