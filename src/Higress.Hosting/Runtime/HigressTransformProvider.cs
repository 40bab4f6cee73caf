using Higress.Core.Plan;
using Higress.Core.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Higress.Hosting.Runtime;

/// <summary>
/// Adds the Higress request and response transforms to every Higress YARP route. They read the matched rule and the
/// chosen backend from <see cref="IHigressRouteFeature"/>, so one transform serves every rule of a cluster.
/// </summary>
internal sealed class HigressTransformProvider : ITransformProvider
{
    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context)
    {
        if (context.Route.RouteId.StartsWith(HigressProxyConfigProvider.RoutePrefix, StringComparison.Ordinal))
        {
            // The upstream sees the client's Host (as Envoy does) unless the rule rewrites it.
            context.AddOriginalHost(true);
            context.AddRequestTransform(ApplyRequest);
            context.AddResponseTransform(ApplyResponseAsync);
        }
    }

    private static ValueTask ApplyRequest(RequestTransformContext context)
    {
        if (context.HttpContext.Features.Get<IHigressRouteFeature>() is not HigressRouteFeature feature)
        {
            return ValueTask.CompletedTask;
        }

        var route = feature.Match.Route;
        Edit(context, route.RequestHeaders);
        if (feature.Backend is { } backend)
        {
            Edit(context, backend.RequestHeaders);
        }

        if (route.Rewrite is { } rewrite)
        {
            if (rewrite.Path is { } path)
            {
                context.Path = new PathString(RedirectLocation.ApplyPath(context.Path.Value ?? "/", path, feature.Match));
            }

            if (rewrite.Hostname is { } hostname)
            {
                context.ProxyRequest.Headers.Host = hostname;
            }
        }

        return ValueTask.CompletedTask;
    }

    private static async ValueTask ApplyResponseAsync(ResponseTransformContext context)
    {
        if (context.HttpContext.Features.Get<IHigressRouteFeature>() is not HigressRouteFeature feature)
        {
            return;
        }

        var headers = context.HttpContext.Response.Headers;
        HeaderEdits.Apply(headers, feature.Match.Route.ResponseHeaders);
        if (feature.Backend is { } backend)
        {
            HeaderEdits.Apply(headers, backend.ResponseHeaders);
        }

        var chain = feature.State.Routes[feature.Match.Route].Plugins;
        if (chain.IsEmpty)
        {
            return;
        }

        // The response-body phase reads the upstream's body through the plugin context (and puts it back).
        if (Core.Plugins.PluginContext.Get(context.HttpContext) is { } plugins)
        {
            plugins.UpstreamResponse = context.ProxyResponse;
        }

        if (await chain.ExecuteResponseAsync(context.HttpContext, feature.Match.Route))
        {
            context.SuppressResponseBody = true;
        }
    }

    private static void Edit(RequestTransformContext context, HeaderModifier modifier)
    {
        if (modifier.IsEmpty)
        {
            return;
        }

        foreach (var set in modifier.Set)
        {
            RequestTransform.RemoveHeader(context, set.Name);
            RequestTransform.AddHeader(context, set.Name, set.Value);
        }

        foreach (var add in modifier.Add)
        {
            // Append into one comma-joined value, as Envoy does: HttpClient would otherwise join values with ", ".
            var existing = RequestTransform.TakeHeader(context, add.Name);
            var value = StringValues.IsNullOrEmpty(existing) ? add.Value : string.Join(',', existing.Append(add.Value));
            RequestTransform.AddHeader(context, add.Name, new StringValues(value));
        }

        foreach (var name in modifier.Remove)
        {
            RequestTransform.RemoveHeader(context, name);
        }
    }
}
