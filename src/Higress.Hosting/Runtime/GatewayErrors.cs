using System.Buffers;
using Higress.Core.Diagnostics;
using Higress.Core.Grpc;
using Higress.Hosting.AccessLog;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Higress.Hosting.Runtime;

/// <summary>
/// The answers the gateway gives for its own failures (no route, a misconfigured rule, a forwarding error), in one
/// place: their statuses and bodies. A client gets a short generic body and a request id (also in the
/// <c>x-request-id</c> response header); the reason names objects, namespaces and upstreams, so it goes to the log
/// with that id (configuration problems are in <c>/config_dump</c> too), and into the body only with
/// <c>Higress:DetailedErrors</c>.
/// </summary>
internal sealed partial class GatewayErrors(bool detailed, ILogger logger)
{
    public const string RequestIdHeader = "x-request-id";

    private const int MaxRequestIdLength = 128;
    private static readonly SearchValues<char> RequestIdCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:");

    /// <summary>No rule matched: 404.</summary>
    public Task NoRouteAsync(HttpContext context)
    {
        var id = RequestId(context);
        Log.NoRoute(logger, id, context.Request.Host.Value ?? string.Empty, context.Request.Path.Value ?? "/");
        AccessLogRecord.Flag(context, ResponseFlags.NoRoute);
        return LocalResponse.WriteAsync(context, StatusCodes.Status404NotFound, Body(context, StatusCodes.Status404NotFound, "no route matches this request", id, "no rule matched the host, path and headers"));
    }

    /// <summary>
    /// A request whose path or Host cannot be normalized safely (docs/security.md): 400 before matching. The reason
    /// describes only the client's own request, so it is always in the body.
    /// </summary>
    public Task BadRequestAsync(HttpContext context, string reason)
    {
        var id = RequestId(context);
        Log.RequestRefused(logger, id, reason);
        context.Response.Headers[RequestIdHeader] = id;
        return LocalResponse.WriteAsync(context, StatusCodes.Status400BadRequest, $"400 Bad Request: {reason}\nrequest id: {id}\n");
    }

    /// <summary>
    /// A request that has passed more proxies than <c>Higress:Limits:MaxHops</c> (its <c>Via</c> header): 508 Loop
    /// Detected, not forwarded again. The client's own request is described, so the reason is always in the body.
    /// </summary>
    public Task LoopDetectedAsync(HttpContext context, int hops)
    {
        var id = RequestId(context);
        var reason = $"the request has passed {hops} proxies (Via), over the limit; a backend probably forwards to this gateway again";
        Log.RequestRefused(logger, id, reason);
        context.Response.Headers[RequestIdHeader] = id;
        return LocalResponse.WriteAsync(context, StatusCodes.Status508LoopDetected, $"508 Loop Detected: {reason}\nrequest id: {id}\n");
    }

    /// <summary>
    /// CONNECT is not supported on gateway listeners (docs/sidecar.md): no tunnels, so an app cannot send HTTPS through
    /// the sidecar's outbound port. 501, before matching; the body says what to send instead.
    /// </summary>
    public Task ConnectNotSupportedAsync(HttpContext context)
    {
        var id = RequestId(context);
        Log.ConnectRefused(logger, id, context.Request.Host.Value ?? string.Empty);
        context.Response.Headers[RequestIdHeader] = id;
        return LocalResponse.WriteAsync(context, StatusCodes.Status501NotImplemented, $"501 Not Implemented: CONNECT is not supported; send plain HTTP requests (absolute or origin form)\nrequest id: {id}\n");
    }

    /// <summary>A matched rule that cannot be served as configured (invalid backend, no destination): 500 by default.</summary>
    public Task MisconfiguredAsync(HttpContext context, RouteRuntime route, HigressRouteFeature feature, string reason, int status = StatusCodes.Status500InternalServerError)
    {
        var id = RequestId(context);
        Log.Misconfigured(logger, route.Route.Id, status, id, reason);
        AccessLogRecord.Flag(context, ResponseFlags.NoClusterFound);
        return LocalResponse.WriteAsync(context, status, Body(context, status, "the route for this request is misconfigured", id, reason), route, feature);
    }

    /// <summary>The header that marks a 503 the gateway gave because a cluster's limit was full (Envoy's overflow).</summary>
    public const string OverloadedHeader = "x-higress-overloaded";

    /// <summary>
    /// A cluster whose connection-pool limit is full: 503 at once with <c>x-higress-overloaded: true</c>, as Envoy's
    /// circuit-breaker overflow answers, instead of queueing the request.
    /// </summary>
    public Task OverloadedAsync(HttpContext context, RouteRuntime route, HigressRouteFeature feature, string clusterId)
    {
        var id = RequestId(context);
        Log.Overloaded(logger, route.Route.Id, clusterId, id);
        AccessLogRecord.Flag(context, ResponseFlags.UpstreamOverflow);
        context.Response.Headers[OverloadedHeader] = "true";
        const int status = StatusCodes.Status503ServiceUnavailable;
        return LocalResponse.WriteAsync(context, status, Body(context, status, "the upstream is overloaded", id, $"cluster {clusterId}: a connection-pool limit is full"), route, feature);
    }

    /// <summary>A rule's local rate limit is spent: 429 with <c>Retry-After</c> (the limiter set the quota headers).</summary>
    public Task RateLimitedAsync(HttpContext context, RouteRuntime route, HigressRouteFeature feature, int retryAfterSeconds)
    {
        var id = RequestId(context);
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        AccessLogRecord.Flag(context, ResponseFlags.RateLimited);
        const int status = StatusCodes.Status429TooManyRequests;
        return LocalResponse.WriteAsync(context, status, Body(context, status, "too many requests", id, $"rule {route.Route.Id}: rate limit reached, retry after {retryAfterSeconds} s"), route, feature);
    }

    /// <summary>
    /// Completes a response after YARP reported a forwarding error. YARP has run the route's response transforms
    /// (header edits, response plugins) already; this sets the status and writes the body if nothing was sent yet.
    /// </summary>
    /// <paramref name="timedOut"/>: the rule's timeout cancelled the call (YARP sees a cancellation): 504.
    public Task ForwardingFailedAsync(HttpContext context, string routeId, IForwarderErrorFeature error, bool timedOut = false)
    {
        var id = RequestId(context);
        var kind = timedOut ? ForwarderError.RequestTimedOut : error.Error;
        var (status, title) = Classify(kind, error.Exception, context.Response.StatusCode);
        Log.ForwardingFailed(logger, error.Exception, routeId, kind, status, id);
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        context.Response.StatusCode = status;
        // A gRPC client reads a deadline as DEADLINE_EXCEEDED, not as the UNAVAILABLE a 504 maps to.
        var grpcStatus = kind == ForwarderError.RequestTimedOut ? GrpcStatusCode.DeadlineExceeded : (GrpcStatusCode?)null;
        return LocalResponse.WriteAsync(context, status, Body(context, status, title, id, $"{kind}: {error.Exception?.Message ?? "no exception"}"), null, null, grpcStatus: grpcStatus);
    }

    /// <summary>The status and generic text for a YARP forwarding error.</summary>
    /// <param name="error">What failed.</param>
    /// <param name="exception">Why, if known.</param>
    /// <param name="yarpStatus">The status YARP chose.</param>
    public static (int Status, string Title) Classify(ForwarderError error, Exception? exception, int yarpStatus) => error switch
    {
        ForwarderError.NoAvailableDestinations => (StatusCodes.Status503ServiceUnavailable, "no upstream is available"),
        ForwarderError.RequestTimedOut => (StatusCodes.Status504GatewayTimeout, "the upstream did not answer in time"),
        ForwarderError.Request when Find<UpstreamTls.UpstreamTlsException>(exception) is not null => (StatusCodes.Status503ServiceUnavailable, "the upstream's TLS could not be established or verified"),
        ForwarderError.Request or ForwarderError.RequestCreation => (StatusCodes.Status502BadGateway, "the upstream could not be reached"),
        ForwarderError.RequestBodyClient when BodyTooLarge(exception) => (StatusCodes.Status413PayloadTooLarge, "the request body is too large"),
        ForwarderError.RequestBodyClient => (yarpStatus == StatusCodes.Status408RequestTimeout ? yarpStatus : StatusCodes.Status400BadRequest, "the request body could not be read"),
        ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled => (StatusCodes.Status400BadRequest, "the request was canceled"),
        _ => (StatusCodes.Status502BadGateway, "the upstream failed"),
    };

    /// <summary>The request's id: a well-formed incoming <c>x-request-id</c>, else the connection's trace identifier.</summary>
    public static string RequestId(HttpContext context)
    {
        var incoming = context.Request.Headers[RequestIdHeader];
        return incoming.Count == 1 && incoming[0] is { } value && IsValidRequestId(value) ? value : context.TraceIdentifier;
    }

    // Echoed into a header and logs: only short, printable, unambiguous ids are taken from the client.
    private static bool IsValidRequestId(string value) =>
        value.Length is > 0 and <= MaxRequestIdLength && !value.AsSpan().ContainsAnyExcept(RequestIdCharacters);

    private static T? Find<T>(Exception? exception)
        where T : Exception => exception switch
    {
        T found => found,
        AggregateException aggregate => aggregate.InnerExceptions.Select(Find<T>).FirstOrDefault(e => e is not null),
        { InnerException: { } inner } => Find<T>(inner),
        _ => null,
    };

    private static bool BodyTooLarge(Exception? exception) =>
        Find<BadHttpRequestException>(exception) is { StatusCode: StatusCodes.Status413PayloadTooLarge };

    private string Body(HttpContext context, int status, string title, string id, string reason)
    {
        context.Response.Headers[RequestIdHeader] = id;
        var text = $"{status} {ReasonPhrases(status)}: {title}\nrequest id: {id}\n";
        return detailed ? text + "detail: " + reason + "\n" : text;
    }

    private static string ReasonPhrases(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.NoRoute, Level = LogLevel.Debug, Message = "No route for {Host}{Path} (request {RequestId}): 404")]
        public static partial void NoRoute(ILogger logger, string requestId, string host, string path);

        [LoggerMessage(EventId = EventIds.RequestRefused, Level = LogLevel.Debug, Message = "Request {RequestId} refused with 400: {Reason}")]
        public static partial void RequestRefused(ILogger logger, string requestId, string reason);

        [LoggerMessage(EventId = EventIds.ConnectRefused, Level = LogLevel.Debug, Message = "Request {RequestId} refused with 501: CONNECT {Authority} is not supported")]
        public static partial void ConnectRefused(ILogger logger, string requestId, string authority);

        [LoggerMessage(EventId = EventIds.RuleMisconfigured, Level = LogLevel.Warning, Message = "Rule {RouteId} answered {Status} (request {RequestId}): {Reason}")]
        public static partial void Misconfigured(ILogger logger, string routeId, int status, string requestId, string reason);

        [LoggerMessage(EventId = EventIds.ClusterOverloaded, Level = LogLevel.Debug, Message = "Rule {RouteId}: cluster {ClusterId} is at a connection-pool limit, answered 503 (request {RequestId})")]
        public static partial void Overloaded(ILogger logger, string routeId, string clusterId, string requestId);

        [LoggerMessage(EventId = EventIds.ForwardingFailed, Level = LogLevel.Warning, Message = "Rule {RouteId}: forwarding failed with {Error}, answered {Status} (request {RequestId})")]
        public static partial void ForwardingFailed(ILogger logger, Exception? exception, string routeId, ForwarderError error, int status, string requestId);
    }
}
