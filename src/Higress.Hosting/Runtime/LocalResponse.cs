using Higress.Core.Grpc;
using Microsoft.AspNetCore.Http;

namespace Higress.Hosting.Runtime;

/// <summary>Writes responses the gateway produces itself (404, 500, redirects, direct responses).</summary>
internal static class LocalResponse
{
    public static Task WriteAsync(HttpContext context, int status, string? body) => WriteAsync(context, status, body, null, null);

    /// <summary>
    /// Sets <paramref name="status"/>, runs the rule's response header edits and plugins, then writes
    /// <paramref name="body"/>; on a gRPC request the answer goes out as a gRPC status instead (<see cref="GrpcLocalReply"/>),
    /// <paramref name="grpcStatus"/> when given, else mapped from the final HTTP status.
    /// </summary>
    public static async Task WriteAsync(HttpContext context, int status, string? body, RouteRuntime? route, HigressRouteFeature? feature, string contentType = "text/plain; charset=utf-8", GrpcStatusCode? grpcStatus = null)
    {
        var response = context.Response;
        response.StatusCode = status;
        GrpcLocalReply.Begin(context, grpcStatus);
        if (route is not null)
        {
            HeaderEdits.ApplyToResponse(response, route.Route, feature?.Backend);

            if (!route.Plugins.IsEmpty && await route.Plugins.ExecuteResponseAsync(context, route.Route))
            {
                return;
            }
        }

        if (GrpcLocalReply.TryComplete(context, body))
        {
            return;
        }

        if (body is not null && !response.HasStarted)
        {
            response.ContentType ??= contentType;
            await response.WriteAsync(body);
        }
    }
}
