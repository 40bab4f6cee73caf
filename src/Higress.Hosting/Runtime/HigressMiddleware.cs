using Higress.Core.Plan;
using Higress.Core.Routing;
using Microsoft.AspNetCore.Http;
using Higress.Hosting.Admin;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Higress.Hosting.Runtime;

/// <summary>
/// The request path for gateway listener ports: match (Gateway API semantics, <see cref="RouteTable"/>), run the rule's
/// plugins, then forward through the cluster's YARP endpoint or answer locally (redirect, direct response, 404, 500).
/// Requests on other ports pass through to the host's own pipeline.
/// </summary>
internal sealed partial class HigressMiddleware(
    RequestDelegate next,
    HigressRuntime runtime,
    AdminEndpoints admin,
    IOptions<HigressOptions> options,
    ILogger<HigressMiddleware> logger)
{
    private readonly int _adminPort = options.Value.Admin.Enabled ? options.Value.Admin.Port : -1;

    public Task InvokeAsync(HttpContext context)
    {
        var state = runtime.Current;
        var port = context.Connection.LocalPort;
        if (!state.Table.ServesPort(port))
        {
            return port == _adminPort ? admin.HandleAsync(context) : next(context);
        }

        var match = state.Table.Match(new HttpContextRouteRequest(context, port));
        if (match is null)
        {
            return LocalResponse.WriteAsync(context, StatusCodes.Status404NotFound, "no route matched this request\n");
        }

        var feature = new HigressRouteFeature(state, match);
        context.Features.Set<IHigressRouteFeature>(feature);

        // The common case, a forwarding rule without plugins, needs no async state machine of its own.
        var routeRuntime = state.Routes[match.Route];
        if (routeRuntime.Plugins.IsEmpty && match.Route.Action is ForwardAction)
        {
            return Forward(context, state, feature, routeRuntime);
        }

        return RouteAsync(context, state, feature, routeRuntime);
    }

    private Task Forward(HttpContext context, RuntimeState state, HigressRouteFeature feature, RouteRuntime routeRuntime)
    {
        var backend = routeRuntime.Backends!.Pick();
        feature.Backend = backend;
        if (backend?.ClusterId is null || !state.ClusterEndpoints.TryGetValue(backend.ClusterId, out var endpoint))
        {
            var reason = backend?.Error ?? "the rule has no backend with a positive weight";
            Log.BackendUnavailable(logger, routeRuntime.Route.Id, reason);
            return LocalResponse.WriteAsync(context, StatusCodes.Status500InternalServerError, "invalid backend: " + reason + "\n", routeRuntime, feature);
        }

        context.SetEndpoint(endpoint);
        return endpoint.RequestDelegate!(context);
    }

    private async Task RouteAsync(HttpContext context, RuntimeState state, HigressRouteFeature feature, RouteRuntime routeRuntime)
    {
        var route = feature.Match.Route;
        if (!routeRuntime.Plugins.IsEmpty && !await routeRuntime.Plugins.ExecuteRequestAsync(context, route))
        {
            return;
        }

        switch (route.Action)
        {
            case ForwardAction:
                await Forward(context, state, feature, routeRuntime);
                return;

            case RedirectAction redirect:
                context.Response.Headers.Location = RedirectLocation.Build(context.Request.Scheme, context.Request.Host.Value ?? string.Empty, context.Request.Path.Value ?? "/", context.Request.QueryString.ToUriComponent(), redirect, feature.Match);
                await LocalResponse.WriteAsync(context, redirect.StatusCode, null, routeRuntime, feature);
                return;

            case DirectResponseAction direct:
                await LocalResponse.WriteAsync(context, direct.StatusCode, direct.Body, routeRuntime, feature, direct.ContentType);
                return;

            case FailAction fail:
                Log.BackendUnavailable(logger, route.Id, fail.Reason);
                await LocalResponse.WriteAsync(context, fail.StatusCode, fail.Reason + "\n", routeRuntime, feature);
                return;

            default:
                await LocalResponse.WriteAsync(context, StatusCodes.Status500InternalServerError, "unsupported route action\n", routeRuntime, feature);
                return;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Rule {RouteId} answered 500: {Reason}")]
        public static partial void BackendUnavailable(ILogger logger, string routeId, string reason);
    }
}
