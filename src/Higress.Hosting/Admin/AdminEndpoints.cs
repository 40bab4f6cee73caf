using Higress.Hosting.Listeners;
using Higress.Hosting.Runtime;
using Microsoft.AspNetCore.Http;

namespace Higress.Hosting.Admin;

/// <summary>
/// The management endpoints: <c>/healthz</c>, <c>/readyz</c>, <c>/metrics</c> and <c>/config_dump</c>. They answer
/// only for connections that arrived on <c>Higress:Admin:Port</c> (the local port, not the Host header), so they are
/// never reachable through a gateway listener or the host's own ports, whatever the client sends.
/// </summary>
internal sealed class AdminEndpoints(HigressRuntime runtime, ListenerManager listeners, PrometheusText metrics)
{
    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            await LocalResponse.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, "use GET\n");
            return;
        }

        switch (request.Path.Value)
        {
            case "/healthz":
                await LocalResponse.WriteAsync(context, StatusCodes.Status200OK, "ok\n");
                return;
            case "/readyz":
                var (ready, reason) = !runtime.HasAppliedPlan
                    ? (false, "not ready: no configuration applied yet\n")
                    : listeners.AreOpen() ? (true, "ready\n") : (false, "not ready: listeners are opening\n");
                await LocalResponse.WriteAsync(context, ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, reason);
                return;
            case "/config_dump":
                await LocalResponse.WriteAsync(context, StatusCodes.Status200OK, ConfigDump.ToJson(ConfigDump.Build(runtime)) + "\n", null, null, "application/json");
                return;
            case "/metrics":
                await LocalResponse.WriteAsync(context, StatusCodes.Status200OK, metrics.Render(), null, null, "text/plain; version=0.0.4; charset=utf-8");
                return;
            default:
                await LocalResponse.WriteAsync(context, StatusCodes.Status404NotFound, "admin endpoints: /healthz /readyz /metrics /config_dump\n");
                return;
        }
    }
}
