using System.Diagnostics;

namespace Higress.Hosting.Telemetry;

/// <summary>
/// Times each forwarded request from the first send to the upstream's response headers, retries included, for
/// <c>higress.upstream.request.duration</c>. It wraps the retrying handler, so one request is one measurement.
/// </summary>
internal sealed class UpstreamTimingHandler(HttpMessageHandler inner, string cluster, GatewayTelemetry telemetry) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            telemetry.UpstreamAnswered(cluster, Stopwatch.GetElapsedTime(start));
        }
    }
}
