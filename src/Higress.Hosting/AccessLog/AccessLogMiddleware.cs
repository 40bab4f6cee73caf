using Higress.Hosting.Runtime;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Higress.Hosting.AccessLog;

/// <summary>
/// Logs the requests on gateway listener ports (a sample of <c>Higress:AccessLog:SampleRatio</c>): it runs ahead of
/// the gateway's middleware, so that the line covers everything the gateway did, its own answers included. Placed by
/// <c>MapHigress()</c> only when the access log is on.
/// </summary>
internal sealed class AccessLogMiddleware(RequestDelegate next, HigressRuntime runtime, AccessLogWriter writer, IOptions<HigressOptions> options, TimeProvider time)
{
    private readonly double _sampleRatio = options.Value.AccessLog.SampleRatio;

    public Task InvokeAsync(HttpContext context) =>
        runtime.Current.Table.ServesPort(context.Connection.LocalPort) && IsSampled(_sampleRatio, Random.Shared) ? LogAsync(context) : next(context);

    /// <summary>Whether to log one request, at <paramref name="ratio"/>; 0 and 1 are exact.</summary>
    public static bool IsSampled(double ratio, Random random) => ratio >= 1 || (ratio > 0 && random.NextDouble() < ratio);

    private async Task LogAsync(HttpContext context)
    {
        var record = new AccessLogRecord(context, time.GetUtcNow());
        var threw = true;
        try
        {
            await next(context);
            threw = false;
        }
        finally
        {
            record.Complete(context, threw);
            writer.Enqueue(record);
        }
    }
}
