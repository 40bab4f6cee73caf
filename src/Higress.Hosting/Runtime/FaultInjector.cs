using Higress.Core.Diagnostics;
using Higress.Core.Plan;
using Higress.Hosting.AccessLog;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Higress.Hosting.Runtime;

/// <summary>
/// A rule's <c>fault</c> with Istio's semantics: after the plugins, before forwarding, a share of requests waits
/// <c>fixedDelay</c>, and a share is answered locally with <c>httpStatus</c> (nothing is forwarded). Both draws are
/// independent, so one request can be delayed and then aborted, as in Envoy's fault filter.
/// </summary>
internal sealed partial class FaultInjector(ILogger logger)
{
    public const string AbortBody = "fault filter abort";

    /// <summary>Applies the fault; false when the request was answered (aborted) or the client left during the delay.</summary>
    public async Task<bool> ApplyAsync(HttpContext context, RouteRuntime route, HigressRouteFeature feature, FaultPlan fault)
    {
        if (fault.Delay is { } delay && Hit(fault.DelayPercent))
        {
            Log.Delayed(logger, route.Route.Id, delay);
            AccessLogRecord.Flag(context, ResponseFlags.DelayInjected);
            try
            {
                await Task.Delay(delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        if (fault.AbortStatus is { } status && Hit(fault.AbortPercent))
        {
            Log.Aborted(logger, route.Route.Id, status);
            AccessLogRecord.Flag(context, ResponseFlags.FaultInjected);
            await LocalResponse.WriteAsync(context, status, AbortBody, route, feature);
            return false;
        }

        return true;
    }

    // Random.Shared: a share, not a sequence, is the contract; 0 and 100 are exact.
    private static bool Hit(double percent) => percent >= 100 || (percent > 0 && Random.Shared.NextDouble() * 100 < percent);

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.FaultAborted, Level = LogLevel.Debug, Message = "Rule {RouteId}: fault injection answered {Status}")]
        public static partial void Aborted(ILogger logger, string routeId, int status);

        [LoggerMessage(EventId = EventIds.FaultDelayed, Level = LogLevel.Debug, Message = "Rule {RouteId}: fault injection delays the request by {Delay}")]
        public static partial void Delayed(ILogger logger, string routeId, TimeSpan delay);
    }
}
