using Higress.Core.Plan;
using Microsoft.AspNetCore.Http;

namespace Higress.Hosting.Runtime;

/// <summary>Writes responses the gateway produces itself (404, 500, redirects, direct responses).</summary>
internal static class LocalResponse
{
    public static Task WriteAsync(HttpContext context, int status, string? body) => WriteAsync(context, status, body, null, null);

    public static async Task WriteAsync(HttpContext context, int status, string? body, RouteRuntime? route, HigressRouteFeature? feature, string contentType = "text/plain; charset=utf-8")
    {
        var response = context.Response;
        response.StatusCode = status;
        if (route is not null)
        {
            HeaderEdits.ApplyToResponse(response, route.Route, feature?.Backend);

            if (!route.Plugins.IsEmpty && await route.Plugins.ExecuteResponseAsync(context, route.Route))
            {
                return;
            }
        }

        if (body is not null && !response.HasStarted)
        {
            response.ContentType ??= contentType;
            await response.WriteAsync(body);
        }
    }
}
