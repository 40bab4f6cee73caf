using Higress.Core.Routing;
using System.Diagnostics;
using Higress.Hosting.Resilience;
using Higress.Hosting.Telemetry;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Higress.Hosting.Runtime;

/// <summary>
/// Adds the Higress request and response transforms to every Higress YARP route. They read the matched rule and the
/// chosen backend from <see cref="IHigressRouteFeature"/>, so one transform serves every rule of a cluster.
/// </summary>
internal sealed class HigressTransformProvider(RequestNormalization normalization, GatewayTelemetry telemetry) : ITransformProvider
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

    private ValueTask ApplyRequest(RequestTransformContext context)
    {
        if (context.HttpContext.Features.Get<IHigressRouteFeature>() is not HigressRouteFeature feature)
        {
            return ValueTask.CompletedTask;
        }

        // Header edits were applied to HttpContext.Request before forwarding (HeaderEdits), and YARP copied them.
        // A backend's own URLRewrite filter (merged with the rule's at translation) replaces the rule's.
        var rewritten = false;
        if ((feature.Backend?.Rewrite ?? feature.Match.Route.Rewrite) is { } rewrite)
        {
            if (rewrite.Path is { } path)
            {
                context.Path = new PathString(PathRewrite.Apply(context.Path.Value ?? "/", path, feature.Match));
                rewritten = true;
            }

            if (rewrite.Hostname is { } hostname)
            {
                context.ProxyRequest.Headers.Host = hostname;
            }
        }

        normalization.ApplyToProxyRequest(context, rewritten);
        if (Activity.Current is { } span && span.Source == GatewayTelemetry.Source)
        {
            telemetry.Propagation.Inject(span, context.ProxyRequest.Headers);
        }

        AttachUpstreamCall(context, feature);
        return ValueTask.CompletedTask;
    }

    // Only a rule that retries, or a cluster whose policies watch every try, needs the per-try state.
    private static void AttachUpstreamCall(RequestTransformContext context, HigressRouteFeature feature)
    {
        if (feature.Cluster is not { } cluster
            || (feature.Rule.Retry is null && cluster.Observers.Length == 0)
            || context.HttpContext.Features.Get<IReverseProxyFeature>() is not { } proxy)
        {
            return;
        }

        var call = new UpstreamCall(context.HttpContext, feature, cluster, proxy);
        if (context.HttpContext.Features.Get<UpstreamBody>() is { } body)
        {
            call.BufferedBody = body.Content;
        }

        context.ProxyRequest.Options.Set(UpstreamCall.Key, call);
        feature.Upstream = call;
    }

    private static async ValueTask ApplyResponseAsync(ResponseTransformContext context)
    {
        if (context.HttpContext.Features.Get<IHigressRouteFeature>() is not HigressRouteFeature feature)
        {
            return;
        }

        HeaderEdits.ApplyToResponse(context.HttpContext.Response, feature.Match.Route, feature.Backend);

        var chain = feature.Rule.Plugins;
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
}
