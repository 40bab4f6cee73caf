using System.Diagnostics;
using System.Diagnostics.Metrics;
using Higress.Core.Diagnostics;
using Higress.Core.Grpc;
using Higress.Core.Plugins;
using Higress.Hosting.Runtime;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Model;

namespace Higress.Hosting.Telemetry;

/// <summary>
/// The span and the request metrics of every gateway request. The span is the request's server span and Higress's own
/// (ActivitySource <c>Higress</c>): its parent is the caller's context read from the request headers
/// (<see cref="TracePropagation"/>), never ASP.NET Core's request activity, which an exporter of <c>Higress</c> spans
/// does not export; so no exported span names a parent that was never exported.
/// </summary>
internal sealed class GatewayTelemetry
{
    /// <summary>The name of the gateway's <see cref="ActivitySource"/>, as tracers select it.</summary>
    public const string SourceName = "Higress";

    /// <summary>The gateway's spans. One per process, like every <see cref="ActivitySource"/>: tracers select it by name.</summary>
    public static readonly ActivitySource Source = new(SourceName, typeof(GatewayTelemetry).Assembly.GetName().Version?.ToString());

    // Tag values are objects: status codes and retry counts come boxed once, not per request.
    private static readonly object[] BoxedInts = Enumerable.Range(0, 600).Select(code => (object)code).ToArray();

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly UpDownCounter<long> _active;
    private readonly Histogram<double> _upstreamDuration;
    private readonly Counter<long> _authDenials;
    private readonly BoundedLabels _consumers;
    private readonly SpanSinks _sinks;

    public GatewayTelemetry(HigressMeter higressMeter, IOptions<HigressOptions> options, IServiceProvider services)
    {
        var settings = options.Value.Telemetry;
        _sinks = new SpanSinks(services, settings);
        Enabled = settings.Enabled;
        Propagation = new TracePropagation(settings.Propagators is { Length: > 0 } formats ? formats : ["tracecontext"]);
        _consumers = new BoundedLabels(settings.MaxConsumerLabels);
        var meter = higressMeter.Meter;
        var seconds = new InstrumentAdvice<double> { HistogramBucketBoundaries = MetricNames.DurationBuckets };
        _requests = meter.CreateCounter<long>(MetricNames.GatewayRequests, "{request}", "Gateway requests, by route (object and rule), cluster, status code and consumer");
        _duration = meter.CreateHistogram(MetricNames.GatewayRequestDuration, "s", "Time from a gateway request's arrival to the end of its response, by route, cluster and status code", advice: seconds);
        _active = meter.CreateUpDownCounter<long>(MetricNames.GatewayActiveRequests, "{request}", "Gateway requests in progress");
        _upstreamDuration = meter.CreateHistogram(MetricNames.UpstreamRequestDuration, "s", "Time an upstream took to answer a forwarded request, retries included, by cluster", advice: seconds);
        _authDenials = meter.CreateCounter<long>(MetricNames.AuthDenials, "{request}", "Requests a plugin refused with 401 or 403, by plugin and route");
    }

    /// <summary>False when <c>Higress:Telemetry:Enabled</c> is off: no span and no request metrics.</summary>
    public bool Enabled { get; }

    public TracePropagation Propagation { get; }

    /// <summary>
    /// Starts the request's span (null when no tracer listens, when the tracer has nowhere to send it, or when the
    /// sampler drops it) and counts it active.
    /// </summary>
    public Activity? StartRequest(HttpContext context)
    {
        _active.Add(1);
        if (!Source.HasListeners() || !_sinks.Exported)
        {
            return null;
        }

        var request = context.Request;
        var parent = Propagation.Extract(request.Headers);

        // Without a caller's context the span is a root, not a child of whatever activity the host started.
        Activity.Current = null;
        var activity = Source.StartActivity(ActivityKind.Server, parent, name: request.Method);
        if (activity is { IsAllDataRequested: true })
        {
            // A new span has none of these tags: AddTag appends where SetTag would search the list first (SetTag stays where
            // the value may be null, which SetTag skips, or where ASP.NET Core may have set the tag).
            activity.AddTag("http.request.method", request.Method);
            activity.AddTag("url.scheme", request.Scheme);
            activity.SetTag("url.path", request.Path.Value);
            activity.SetTag("server.address", request.Host.Host);
            activity.AddTag("server.port", context.Connection.LocalPort);
            activity.SetTag("client.address", context.Connection.RemoteIpAddress?.ToString());
            activity.AddTag("network.protocol.version", ProtocolVersion(request.Protocol));
            if (request.Headers.UserAgent is { Count: > 0 } agent)
            {
                activity.AddTag("user_agent.original", agent.ToString());
            }
        }

        return activity;
    }

    /// <summary>Records the request's metrics and ends its span; <paramref name="error"/> is what the pipeline threw, if anything.</summary>
    public void StopRequest(HttpContext context, Activity? activity, long startTimestamp, Exception? error)
    {
        var status = error is not null && !context.Response.HasStarted ? Microsoft.AspNetCore.Http.StatusCodes.Status500InternalServerError : context.Response.StatusCode;
        var feature = context.Features.Get<IHigressRouteFeature>() as HigressRouteFeature;
        var route = feature?.Match.Route.Id ?? string.Empty;
        var cluster = feature?.Backend?.ClusterId ?? string.Empty;
        var plugins = PluginContext.Get(context);
        var consumer = _consumers.Get(plugins?.Consumer);
        var statusTag = Boxed(status);

        var tags = new TagList { { "route", route }, { "cluster", cluster }, { "status_code", statusTag } };
        _duration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tags);
        tags.Add("consumer", consumer);
        _requests.Add(1, tags);
        if (plugins?.EndedBy is { } endedBy && GrpcLocalReply.DecidedStatus(context) is Microsoft.AspNetCore.Http.StatusCodes.Status401Unauthorized or Microsoft.AspNetCore.Http.StatusCodes.Status403Forbidden)
        {
            _authDenials.Add(1, new KeyValuePair<string, object?>("plugin", endedBy), new KeyValuePair<string, object?>("route", route));
        }

        // Last of the metrics: whoever sees no request active also sees every finished one counted.
        _active.Add(-1);

        if (activity is null)
        {
            return;
        }

        if (activity.IsAllDataRequested)
        {
            activity.AddTag("http.response.status_code", statusTag);
            if (GrpcLocalReply.Get(context) is { HttpStatus: > 0 } grpc)
            {
                activity.SetTag("rpc.grpc.status_code", (int)grpc.Status);
            }

            if (feature is not null)
            {
                var listener = feature.Match.Listener;
                activity.DisplayName = context.Request.Method + " " + route;
                activity.SetTag("http.route", route);
                activity.AddTag("higress.gateway", listener.Gateway.Namespace + "/" + listener.Gateway.Name);
                activity.AddTag("higress.listener", listener.Name);
                activity.AddTag("higress.route", route);
                activity.SetTag("higress.cluster", cluster.Length == 0 ? null : cluster);
                activity.SetTag("higress.destination", Destination(context, feature));
                activity.AddTag("higress.retries", Boxed(feature.Upstream is { Tries: > 1 } call ? call.Tries - 1 : 0));
            }

            activity.SetTag("higress.consumer", plugins?.Consumer);
            activity.SetTag("higress.plugin", plugins?.EndedBy);
            if (status >= 500 || error is not null)
            {
                activity.SetStatus(ActivityStatusCode.Error, error?.Message);
                activity.SetTag("error.type", error?.GetType().FullName ?? statusTag.ToString());
            }
        }

        activity.Stop();
    }

    /// <summary>Records how long an upstream took to answer a request forwarded to <paramref name="cluster"/>.</summary>
    public void UpstreamAnswered(string cluster, TimeSpan elapsed) =>
        _upstreamDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("cluster", cluster));

    private static object Boxed(int value) => (uint)value < BoxedInts.Length ? BoxedInts[value] : value;

    private static string? Destination(HttpContext context, HigressRouteFeature feature) =>
        (feature.Upstream?.Destination ?? context.Features.Get<IReverseProxyFeature>()?.ProxiedDestination)?.Model.Config.Address;

    private static string ProtocolVersion(string protocol) => protocol switch
    {
        "HTTP/1.1" => "1.1",
        "HTTP/2" => "2",
        "HTTP/3" => "3",
        "HTTP/1.0" => "1.0",
        _ => protocol,
    };
}
