using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using Higress.Core.Grpc;
using Higress.Core.Plugins;
using Higress.Hosting.Runtime;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Higress.Hosting.AccessLog;

/// <summary>
/// One logged request: set as a feature while the request runs (it counts the body bytes through the response body
/// feature it stands in for, and collects <see cref="ResponseFlags"/> from the gateway's stages), then completed and
/// handed to the <see cref="AccessLogWriter"/>, which formats it on its own thread. Only references and numbers are
/// captured on the request path; every string is formatted later.
/// </summary>
internal sealed class AccessLogRecord : IHttpResponseBodyFeature
{
    private readonly IHttpResponseBodyFeature _responseBody;
    private readonly Stream? _requestBody;
    private CountingStream? _responseStream;
    private CountingPipeWriter? _responseWriter;
    private long _upstreamStart;
    private long _upstreamEnd;

    public AccessLogRecord(HttpContext context, DateTimeOffset startTime)
    {
        StartTime = startTime;
        StartTimestamp = Stopwatch.GetTimestamp();
        var request = context.Request;
        Method = request.Method;
        Path = request.Path.Value;
        Query = request.QueryString.Value;
        Protocol = request.Protocol;
        _responseBody = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        context.Features.Set<IHttpResponseBodyFeature>(this);
        context.Features.Set(this);
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
        {
            _requestBody = request.Body;
            request.Body = new CountingStream(_requestBody, this);
        }
    }

    public DateTimeOffset StartTime { get; }

    public long StartTimestamp { get; }

    public string Method { get; }

    public string? Path { get; }

    public string? Query { get; }

    public string Protocol { get; }

    public ResponseFlags Flags { get; private set; }

    public long BytesReceived { get; set; }

    public long BytesSent { get; set; }

    public int Status { get; private set; }

    public TimeSpan Duration { get; private set; }

    /// <summary>From the request leaving for the upstream to its response headers arriving; null when none arrived.</summary>
    public TimeSpan? UpstreamTime => _upstreamEnd > _upstreamStart && _upstreamStart != 0 ? Stopwatch.GetElapsedTime(_upstreamStart, _upstreamEnd) : null;

    public string? UpstreamAddress { get; private set; }

    public string? Cluster { get; private set; }

    public string? Route { get; private set; }

    public string? Consumer { get; private set; }

    public ActivityTraceId TraceId { get; private set; }

    /// <summary>
    /// Records the trace of the gateway's span for this request: it is the trace an exporter receives, and it is not
    /// <c>Activity.Current</c> once the gateway's middleware has returned. Without a span, the caller's trace (from its
    /// trace headers), or <see langword="default"/> for none.
    /// </summary>
    public void Traced(ActivityTraceId traceId) => TraceId = traceId;

    public string? RequestId { get; private set; }

    public string? Authority { get; private set; }

    public string? ForwardedFor { get; private set; }

    public string? UserAgent { get; private set; }

    public IPAddress? RemoteAddress { get; private set; }

    public int RemotePort { get; private set; }

    Stream IHttpResponseBodyFeature.Stream => _responseStream ??= new CountingStream(_responseBody.Stream, this);

    PipeWriter IHttpResponseBodyFeature.Writer => _responseWriter ??= new CountingPipeWriter(_responseBody.Writer, this);

    /// <summary>Adds <paramref name="flags"/> to the request's log line, when the request is being logged.</summary>
    public static void Flag(HttpContext context, ResponseFlags flags)
    {
        if (context.Features.Get<AccessLogRecord>() is { } record)
        {
            record.Flags |= flags;
        }
    }

    /// <summary>The request is about to leave for the upstream (a YARP request transform).</summary>
    public void UpstreamStarted() => _upstreamStart = Stopwatch.GetTimestamp();

    /// <summary>The upstream's response headers arrived (a YARP response transform).</summary>
    public void UpstreamResponded() => _upstreamEnd = Stopwatch.GetTimestamp();

    /// <summary>Reads what the request's end knows, and gives the request its own body streams back.</summary>
    public void Complete(HttpContext context, bool threw)
    {
        Duration = Stopwatch.GetElapsedTime(StartTimestamp);
        var request = context.Request;
        var response = context.Response;

        // An exception that escaped before the response started becomes Kestrel's 500.
        Status = threw && !response.HasStarted ? StatusCodes.Status500InternalServerError : response.StatusCode;
        if (context.Features.Get<IHigressRouteFeature>() is HigressRouteFeature route)
        {
            Route = route.Match.Route.Id;
            Cluster = route.Backend?.ClusterId;
        }

        UpstreamAddress = context.Features.Get<IReverseProxyFeature>()?.ProxiedDestination?.Model.Config.Address;
        var headers = request.Headers;
        // From the plugins only: a client's own consumer header is stripped before routing, but not from requests
        // refused before that point (400, 501).
        var plugins = context.Features.Get<PluginContext>();
        Consumer = plugins?.Consumer;
        Flags |= DerivedFlags(context, plugins);
        // The gateway's own span (Traced) when a tracer listens; otherwise whatever activity the host has.
        TraceId = TraceId != default ? TraceId : Activity.Current?.TraceId ?? default;
        RequestId = GatewayErrors.RequestId(context);
        Authority = request.Host.Value;
        ForwardedFor = headers["X-Forwarded-For"].ToString() is { Length: > 0 } forwarded ? forwarded : null;
        UserAgent = headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null;
        RemoteAddress = context.Connection.RemoteIpAddress;
        RemotePort = context.Connection.RemotePort;

        if (ReferenceEquals(context.Features.Get<IHttpResponseBodyFeature>(), this))
        {
            context.Features.Set(_responseBody);
        }

        if (_requestBody is not null)
        {
            request.Body = _requestBody;
        }

        context.Features.Set<AccessLogRecord>(null);
    }

    void IHttpResponseBodyFeature.DisableBuffering() => _responseBody.DisableBuffering();

    Task IHttpResponseBodyFeature.StartAsync(CancellationToken cancellationToken) => _responseBody.StartAsync(cancellationToken);

    async Task IHttpResponseBodyFeature.SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken)
    {
        await _responseBody.SendFileAsync(path, offset, count, cancellationToken);
        BytesSent += count ?? new FileInfo(path).Length - offset;
    }

    Task IHttpResponseBodyFeature.CompleteAsync() => _responseBody.CompleteAsync();

    // What the end of the request shows without a hook: a plugin's refusal, a forwarding error, a client that left.
    private ResponseFlags DerivedFlags(HttpContext context, PluginContext? plugins)
    {
        var flags = ResponseFlags.None;
        // A local answer to a gRPC request was sent as 200 with a gRPC status: the flags describe what was decided.
        var status = Status == StatusCodes.Status200OK ? GrpcLocalReply.DecidedStatus(context) : Status;
        if (plugins is { IsLocalResponse: true })
        {
            flags |= status switch
            {
                StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden => ResponseFlags.UnauthorizedExternalService,
                StatusCodes.Status429TooManyRequests => ResponseFlags.RateLimited,
                _ => ResponseFlags.None,
            };
        }

        if (context.Features.Get<IForwarderErrorFeature>() is { } error)
        {
            flags |= ForwardingFlags(error.Error, error.Exception, status);
        }

        if (context.RequestAborted.IsCancellationRequested)
        {
            flags |= ResponseFlags.DownstreamConnectionTermination;
        }

        return flags;
    }

    /// <summary>The flag for a YARP forwarding error, given the status the gateway answered with.</summary>
    public static ResponseFlags ForwardingFlags(ForwarderError error, Exception? exception, int status) => error switch
    {
        ForwarderError.NoAvailableDestinations => ResponseFlags.NoHealthyUpstream,
        ForwarderError.RequestTimedOut => ResponseFlags.UpstreamRequestTimeout,
        _ when status == StatusCodes.Status504GatewayTimeout => ResponseFlags.UpstreamRequestTimeout,
        ForwarderError.Request or ForwarderError.RequestCreation when IsConnectFailure(exception) => ResponseFlags.UpstreamConnectionFailure,
        ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyClient
            or ForwarderError.ResponseBodyCanceled or ForwarderError.ResponseBodyClient or ForwarderError.UpgradeRequestCanceled
            or ForwarderError.UpgradeResponseCanceled or ForwarderError.UpgradeRequestClient or ForwarderError.UpgradeResponseClient
            => ResponseFlags.DownstreamConnectionTermination,
        _ => ResponseFlags.UpstreamConnectionTermination,
    };

    private static bool IsConnectFailure(Exception? exception) => exception switch
    {
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } => true,
        System.Net.Sockets.SocketException => true,
        { InnerException: { } inner } => IsConnectFailure(inner),
        _ => false,
    };
}
