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
        runtime.Current.Table.ServesPort(context.Connection.LocalPort) && Sampled() ? LogAsync(context) : next(context);

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

    // Random.Shared: a share, not a sequence, is the contract; 0 and 1 are exact.
    private bool Sampled() => _sampleRatio >= 1 || (_sampleRatio > 0 && Random.Shared.NextDouble() < _sampleRatio);
}
