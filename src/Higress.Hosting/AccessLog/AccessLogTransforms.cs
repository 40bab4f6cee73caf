using Higress.Hosting.Runtime;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Higress.Hosting.AccessLog;

/// <summary>
/// Times the upstream for the access log's <c>upstream_service_time</c>: from the request leaving (the last request
/// transform) to the upstream's response headers (the first response transform). Added only when the log is on.
/// </summary>
internal sealed class AccessLogTransforms(IOptions<HigressOptions> options) : ITransformProvider
{
    private readonly bool _enabled = !string.IsNullOrWhiteSpace(options.Value.AccessLog.Path);

    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context)
    {
        if (!_enabled || !context.Route.RouteId.StartsWith(HigressProxyConfigProvider.RoutePrefix, StringComparison.Ordinal))
        {
            return;
        }

        context.AddRequestTransform(static transform =>
        {
            transform.HttpContext.Features.Get<AccessLogRecord>()?.UpstreamStarted();
            return ValueTask.CompletedTask;
        });
        context.AddResponseTransform(static transform =>
        {
            if (transform.ProxyResponse is not null)
            {
                transform.HttpContext.Features.Get<AccessLogRecord>()?.UpstreamResponded();
            }

            return ValueTask.CompletedTask;
        });
    }
}
