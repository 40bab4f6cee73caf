using Higress.Core.Plan;
using Higress.Core.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Higress.Hosting.Admin;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Higress.Hosting.Runtime;

/// <summary>
/// The request path for gateway listener ports: match (Gateway API semantics, <see cref="RouteTable"/>), run the rule's
/// plugins, then forward through the cluster's YARP endpoint or answer locally (redirect, direct response, 404, 500).
/// Requests on other ports pass through to the host's own pipeline. The gateway's own failures are answered by
/// <see cref="GatewayErrors"/>.
/// </summary>
internal sealed class HigressMiddleware(
    RequestDelegate next,
    HigressRuntime runtime,
    AdminEndpoints admin,
    IOptions<HigressOptions> options,
    ILogger<HigressMiddleware> logger)
{
    private readonly int _adminPort = options.Value.Admin.Enabled ? options.Value.Admin.Port : -1;
    private readonly long? _maxRequestBodySize = options.Value.Limits.MaxRequestBodySize;
    private readonly GatewayErrors _errors = new(options.Value.DetailedErrors, logger);

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
            return _errors.NoRouteAsync(context);
        }

        // Kestrel's 30 MB default is for buffering servers; a gateway streams, so the limit is the host's or the rule's.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = match.Route.MaxRequestBodySize ?? _maxRequestBodySize;
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
            return _errors.MisconfiguredAsync(context, routeRuntime, feature, "invalid backend: " + (backend?.Error ?? "the rule has no backend with a positive weight"));
        }

        context.SetEndpoint(endpoint);
        var forwarding = endpoint.RequestDelegate!(context);
        return forwarding.IsCompletedSuccessfully && context.Features.Get<IForwarderErrorFeature>() is null
            ? forwarding
            : CompleteForwardingAsync(context, forwarding, routeRuntime.Route.Id);
    }

    private async Task CompleteForwardingAsync(HttpContext context, Task forwarding, string routeId)
    {
        await forwarding;
        if (context.Features.Get<IForwarderErrorFeature>() is { } error)
        {
            await _errors.ForwardingFailedAsync(context, routeId, error);
        }
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
                await _errors.MisconfiguredAsync(context, routeRuntime, feature, fail.Reason, fail.StatusCode);
                return;

            default:
                await _errors.MisconfiguredAsync(context, routeRuntime, feature, $"unsupported route action {route.Action.GetType().Name}");
                return;
        }
    }
}
