using System.Runtime.ExceptionServices;
using Higress.Core.Diagnostics;
using Higress.Core.Plan;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Yarp.ReverseProxy.Model;

namespace Higress.Hosting.Resilience;

/// <summary>
/// A rule's retry policy on a Polly pipeline: a retry strategy (exponential backoff with jitter, Envoy's 25 ms base and
/// 250 ms cap) around a per-try timeout. A retry goes to a destination not tried yet when the cluster has one, and
/// only when the cluster's <see cref="RetryBudget"/> has room. A request is retried only when its method is idempotent
/// (or <c>retryOn</c> names <c>non-idempotent</c>) and its body, if any, was buffered.
/// </summary>
internal sealed partial class UpstreamRetry : IUpstreamRetry
{
    /// <summary>Polly refuses per-try timeouts outside these bounds; a configured value is clamped to them.</summary>
    private static readonly TimeSpan MinPerTryTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxPerTryTimeout = TimeSpan.FromDays(1);
    private static readonly ResiliencePropertyKey<Execution> ExecutionKey = new("Higress.UpstreamRetry");

    private readonly RetryPlan _plan;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly RetryMetrics _metrics;
    private readonly ILogger _logger;

    /// <param name="plan">The rule's retry plan.</param>
    /// <param name="perTryTimeout">The deadline of each try (<c>perTryTimeout</c>, else HTTPRoute <c>timeouts.backendRequest</c>), or null.</param>
    /// <param name="metrics">The retry counters.</param>
    /// <param name="logger">Where retries are logged.</param>
    /// <param name="time">The clock of backoff delays and per-try timeouts.</param>
    public UpstreamRetry(RetryPlan plan, TimeSpan? perTryTimeout, RetryMetrics metrics, ILogger logger, TimeProvider time)
    {
        _plan = plan;
        _metrics = metrics;
        _logger = logger;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
        builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = plan.Attempts,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(25),
            MaxDelay = TimeSpan.FromMilliseconds(250),
            ShouldHandle = args => new ValueTask<bool>(ShouldRetry(args.Context.Properties.GetValue(ExecutionKey, null!), args.Outcome, args.AttemptNumber)),

            // The failed try's response is discarded: its connection goes back to the pool before the next try.
            OnRetry = args =>
            {
                args.Outcome.Result?.Dispose();
                return default;
            },
        });
        if (perTryTimeout is { } timeout)
        {
            builder.AddTimeout(timeout < MinPerTryTimeout ? MinPerTryTimeout : timeout > MaxPerTryTimeout ? MaxPerTryTimeout : timeout);
        }

        _pipeline = builder.Build();
    }

    public async Task<HttpResponseMessage> SendAsync(UpstreamHandler handler, UpstreamCall call, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!CanResend(call))
        {
            return await handler.SendOnceAsync(call, request, cancellationToken);
        }

        var execution = new Execution(handler, call, request, call.Cluster.Policy(RetryBudgetFactory.PolicyName) as RetryBudget, cancellationToken);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(ExecutionKey, execution);
        Outcome<HttpResponseMessage> outcome;
        try
        {
            outcome = await _pipeline.ExecuteOutcomeAsync(static (ctx, state) => state.TryAsync(ctx.CancellationToken), context, execution);
        }
        finally
        {
            execution.ReleaseBudget();
            ResilienceContextPool.Shared.Return(context);
        }

        if (call.Tries > _plan.Attempts && RetryOutcome.IsRetriable(_plan, outcome.Result, outcome.Exception))
        {
            AccessLog.AccessLogRecord.Flag(call.HttpContext, AccessLog.ResponseFlags.UpstreamRetryLimitExceeded);
        }

        if (outcome.Exception is { } error)
        {
            // YARP answers a cancellation it did not cause with 504, as Envoy answers a per-try timeout.
            if (error is TimeoutRejectedException && !cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("the upstream did not answer within the per-try timeout", error);
            }

            ExceptionDispatchInfo.Throw(error);
        }

        return outcome.Result!;
    }

    // Sending again needs the whole body in hand, and a method whose repetition the route allows.
    private bool CanResend(UpstreamCall call)
    {
        var request = call.HttpContext.Request;
        var hasBody = request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true;
        return (!hasBody || call.BufferedBody is not null)
            && ((_plan.On & RetryConditions.NonIdempotent) != 0 || RetryOutcome.IsIdempotent(request.Method));
    }

    private bool ShouldRetry(Execution execution, Outcome<HttpResponseMessage> outcome, int attempt)
    {
        // A client that left, or the whole-request deadline, ends the call: nothing after it is retried.
        if (attempt >= _plan.Attempts || execution.ClientAborted.IsCancellationRequested
            || !RetryOutcome.IsRetriable(_plan, outcome.Result, outcome.Exception))
        {
            return false;
        }

        var cluster = execution.Call.Cluster;
        if (execution.Budget is { } budget && !budget.TryAcquire(cluster.ActiveRequests))
        {
            _metrics.BudgetExhausted(cluster.Cluster.Id);
            Log.BudgetExhausted(_logger, execution.Call.Route.Match.Route.Id, cluster.Cluster.Id, budget.InFlight);
            return false;
        }

        execution.HoldsBudget = execution.Budget is not null;
        _metrics.Retried(cluster.Cluster.Id);
        Log.Retrying(_logger, execution.Call.Route.Match.Route.Id, attempt + 1, outcome.Result is { } response ? (int)response.StatusCode : 0, outcome.Exception?.GetType().Name);
        return true;
    }

    /// <summary>One request's run through the pipeline: what each try needs, and the budget place a retry holds.</summary>
    private sealed class Execution(UpstreamHandler handler, UpstreamCall call, HttpRequestMessage request, RetryBudget? budget, CancellationToken clientAborted)
    {
        private List<DestinationState>? _tried;

        public UpstreamCall Call { get; } = call;

        public RetryBudget? Budget { get; } = budget;

        public CancellationToken ClientAborted { get; } = clientAborted;

        public bool HoldsBudget { get; set; }

        public async ValueTask<Outcome<HttpResponseMessage>> TryAsync(CancellationToken cancellationToken)
        {
            if (Call.Tries > 0)
            {
                MoveToUntriedDestination();
            }

            try
            {
                return Outcome.FromResult(await handler.SendOnceAsync(Call, request, cancellationToken));
            }
            catch (Exception ex)
            {
                return Outcome.FromException<HttpResponseMessage>(ex);
            }
            finally
            {
                ReleaseBudget();
            }
        }

        public void ReleaseBudget()
        {
            if (HoldsBudget)
            {
                HoldsBudget = false;
                Budget!.Release();
            }
        }

        // Envoy's previous_hosts predicate: a retry prefers a destination this request has not been to.
        private void MoveToUntriedDestination()
        {
            if (Call.Destination is { } current)
            {
                (_tried ??= []).Add(current);
            }

            // YARP's load balancer narrows the request's AvailableDestinations to its one choice; the cluster's own
            // list is the healthy set to move to.
            var available = Call.Proxy.Route.Cluster?.DestinationsState.AvailableDestinations ?? Call.Proxy.AvailableDestinations;
            for (var i = 0; i < available.Count; i++)
            {
                if (_tried is null || !_tried.Contains(available[i]))
                {
                    Call.Retarget(request, available[i]);
                    return;
                }
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.UpstreamRetrying, Level = LogLevel.Debug, Message = "Route {RouteId}: retry {Retry} after status {Status} / error {Error}")]
        public static partial void Retrying(ILogger logger, string routeId, int retry, int status, string? error);

        [LoggerMessage(EventId = EventIds.RetryBudgetExhausted, Level = LogLevel.Debug, Message = "Route {RouteId}: not retried, the retry budget of cluster {ClusterId} is spent ({InFlight} retries in flight)")]
        public static partial void BudgetExhausted(ILogger logger, string routeId, string clusterId, int inFlight);
    }
}
