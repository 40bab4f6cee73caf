using System.Diagnostics;
using Higress.Core.Grpc;
using Higress.Core.Plan;
using Higress.Core.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Higress.Hosting.Admin;
using Higress.Hosting.Authorization;
using Higress.Hosting.RateLimiting;
using Higress.Hosting.Resilience;
using Higress.Hosting.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Higress.Hosting.Runtime;

/// <summary>
/// The request path for gateway listener ports: match (Gateway API semantics, <see cref="RouteTable"/>), run the rule's
/// plugins, then forward through the cluster's YARP endpoint or answer locally (redirect, direct response, 404, 500).
/// Requests on other ports pass through to the host's own pipeline. The gateway's own failures are answered by
/// <see cref="GatewayErrors"/>.
/// </summary>
internal sealed class HigressMiddleware(
    RequestDelegate next,
    HigressRuntime runtime,
    AdminEndpoints admin,
    IOptions<HigressOptions> options,
    RequestNormalization normalization,
    ILogger<HigressMiddleware> logger,
    IServiceProvider services,
    HigressEndpointConventionBuilder conventions,
    RequestMirror mirror,
    RouteRateLimiters rateLimiters,
    GatewayTelemetry telemetry,
    FastPath.FastForwarder fastPath)
{
    private readonly int _adminPort = options.Value.Admin.Enabled ? options.Value.Admin.Port : -1;
    private readonly long? _maxRequestBodySize = options.Value.Limits.MaxRequestBodySize;
    private readonly int _maxHops = options.Value.Limits.MaxHops;
    private readonly int _maxRetryBody = options.Value.Retries.MaxBufferedBody;
    private readonly GatewayErrors _errors = new(options.Value.DetailedErrors, logger);
    private readonly FaultInjector _faults = new(logger);

    // Built when the pipeline is (host start), once MapHigress()'s caller has added its conventions.
    private readonly GatewayAuthorization? _authorization = GatewayAuthorization.Create(conventions, services, logger);

    public Task InvokeAsync(HttpContext context)
    {
        var state = runtime.Current;
        var port = context.Connection.LocalPort;
        if (!state.Table.ServesPort(port))
        {
            return port == _adminPort ? admin.HandleAsync(context) : next(context);
        }

        return telemetry.Enabled ? ObserveAsync(context, state, port) : Serve(context, state, port);
    }

    // Around everything the gateway does with a request, its own refusals included, so that the span and the metrics
    // see every gateway request and its final status.
    private async Task ObserveAsync(HttpContext context, RuntimeState state, int port)
    {
        var start = Stopwatch.GetTimestamp();
        var activity = telemetry.StartRequest(context);
        if (context.Features.Get<AccessLog.AccessLogRecord>() is { } record)
        {
            // The gateway span's trace; with no span made (no tracer, or nowhere to export), the caller's.
            record.Traced(activity?.TraceId ?? telemetry.Propagation.Extract(context.Request.Headers).TraceId);
        }

        Exception? error = null;
        try
        {
            await Serve(context, state, port);
        }
        catch (Exception ex)
        {
            error = ex;
            throw;
        }
        finally
        {
            telemetry.StopRequest(context, activity, start, error);
        }
    }

    private Task Serve(HttpContext context, RuntimeState state, int port)
    {
        // A tunnel would carry traffic no rule or plugin can see.
        if (HttpMethods.IsConnect(context.Request.Method))
        {
            return _errors.ConnectNotSupportedAsync(context);
        }

        // Before anything reads the path or Host: matching, plugins and the backend must all see one form.
        if (normalization.Apply(context) is { } refused)
        {
            return _errors.BadRequestAsync(context, refused);
        }

        // A request that keeps coming back (a backend that is this gateway, directly or through a chain) ends here.
        if (ViaHops.Count(context.Request.Headers.Via) is var hops && hops >= _maxHops)
        {
            return _errors.LoopDetectedAsync(context, hops);
        }

        // Only an authentication plugin may name the consumer: a client's own claim never reaches matching or a backend.
        context.Request.Headers.Remove(Core.Plugins.PluginContext.ConsumerHeader);

        // Likewise the client certificate: only what this gateway's own handshake verified goes upstream.
        Core.Plugins.ClientCertificateIdentity.Forward(context);

        // MapHigress() conventions guard every gateway request, before matching: an anonymous caller learns nothing
        // of the route table, and no plugin runs for a request the host's policy refuses.
        return _authorization is null ? Route(context, state, port) : AuthorizeThenRouteAsync(context, state, port);
    }

    private async Task AuthorizeThenRouteAsync(HttpContext context, RuntimeState state, int port)
    {
        if (await _authorization!.AuthorizeAsync(context))
        {
            await Route(context, state, port);
            return;
        }

        // The authentication handler set 401 or 403 (and its headers) without a body.
        GrpcLocalReply.Begin(context);
        GrpcLocalReply.TryComplete(context, (string?)null);
    }

    private Task Route(HttpContext context, RuntimeState state, int port)
    {
        var match = state.Table.Match(new HttpContextRouteRequest(context, port));
        if (match is null)
        {
            return _errors.NoRouteAsync(context);
        }

        // Kestrel's 30 MB default is for buffering servers; a gateway streams, so the limit is the host's or the rule's.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = match.Route.MaxRequestBodySize ?? _maxRequestBodySize;
        }

        var routeRuntime = state.Routes[match.Route];
        var feature = new HigressRouteFeature(state, match, routeRuntime);
        context.Features.Set<IHigressRouteFeature>(feature);

        // The common case, a rule without plugins or rate limit, needs no async state machine of its own.
        return routeRuntime.Plugins.IsEmpty && routeRuntime.RateLimiter is null ? Dispatch(context, state, feature, routeRuntime) : RouteAsync(context, state, feature, routeRuntime);
    }

    private async Task RouteAsync(HttpContext context, RuntimeState state, HigressRouteFeature feature, RouteRuntime routeRuntime)
    {
        if (!routeRuntime.Plugins.IsEmpty && !await routeRuntime.Plugins.ExecuteRequestAsync(context, routeRuntime.Route))
        {
            return;
        }

        // After the plugins, so that an authentication plugin has named the consumer a `consumer` key counts by.
        if (routeRuntime.RateLimiter?.TryAdmit(context) is { } retryAfter)
        {
            rateLimiters.Rejected(routeRuntime.Route.Id, retryAfter);
            await _errors.RateLimitedAsync(context, routeRuntime, feature, retryAfter);
            return;
        }

        await Dispatch(context, state, feature, routeRuntime);
    }

    private Task Dispatch(HttpContext context, RuntimeState state, HigressRouteFeature feature, RouteRuntime routeRuntime)
    {
        var decision = RuleDecision.Decide(routeRuntime.Route, routeRuntime.Backends, new HttpContextRouteRequest(context, feature.Match.Listener.Port), Random.Shared);
        feature.Backend = decision.Backend;
        var request = context.Request;
        switch (decision.Action)
        {
            case ForwardAction when decision.Outcome == RuleOutcome.Forward:
                return Forward(context, state, feature, routeRuntime, decision.Backend!);

            case RedirectAction redirect:
                context.Response.Headers.Location = RedirectLocation.Build(request.Scheme, request.Host.Value ?? string.Empty, request.Path.Value ?? "/", request.QueryString.ToUriComponent(), redirect, feature.Match);
                return LocalResponse.WriteAsync(context, decision.Status, null, routeRuntime, feature);

            case DirectResponseAction direct:
                return LocalResponse.WriteAsync(context, decision.Status, direct.Body, routeRuntime, feature, direct.ContentType);

            default:
                return _errors.MisconfiguredAsync(context, routeRuntime, feature, decision.Reason ?? "unknown", decision.Status);
        }
    }

    private Task Forward(HttpContext context, RuntimeState state, HigressRouteFeature feature, RouteRuntime routeRuntime, BackendPlan backend)
    {
        if (!state.ClusterEndpoints.TryGetValue(backend.ClusterId!, out var endpoint))
        {
            return _errors.MisconfiguredAsync(context, routeRuntime, feature, $"invalid backend: cluster {backend.ClusterId} has no endpoint");
        }

        // A cluster with limits (or a rule that retries, whose budget is a share of the cluster's requests) counts
        // its requests; the plain case keeps its allocation-free path.
        state.Clusters.TryGetValue(backend.ClusterId!, out var cluster);
        feature.Cluster = cluster;
        if (cluster is not null && (cluster.Admissions.Length > 0 || routeRuntime.Retry is not null))
        {
            return ForwardCountedAsync(context, state, feature, routeRuntime, backend, endpoint, cluster);
        }

        return ForwardAdmitted(context, state, feature, routeRuntime, backend, endpoint);
    }

    private Task ForwardAdmitted(HttpContext context, RuntimeState state, HigressRouteFeature feature, RouteRuntime routeRuntime, BackendPlan backend, Endpoint endpoint) =>
        routeRuntime.Route.Fault is { } fault
            ? ForwardAfterFaultAsync(context, state, feature, routeRuntime, backend, endpoint, fault)
            : MirrorThenSend(context, state, routeRuntime, backend, endpoint);

    private async Task ForwardCountedAsync(HttpContext context, RuntimeState state, HigressRouteFeature feature, RouteRuntime routeRuntime, BackendPlan backend, Endpoint endpoint, ClusterRuntime cluster)
    {
        var admissions = cluster.Admissions;
        var admitted = 0;
        while (admitted < admissions.Length && admissions[admitted].TryEnter())
        {
            admitted++;
        }

        try
        {
            if (admitted < admissions.Length)
            {
                await _errors.OverloadedAsync(context, routeRuntime, feature, cluster.Cluster.Id);
                return;
            }

            // A retry sends the body again, so it must be in hand; a body over the limit streams and is not retried.
            if (routeRuntime.Retry is not null)
            {
                await RetryBody.BufferAsync(context, _maxRetryBody);
            }

            cluster.EnterRequest();
            try
            {
                await ForwardAdmitted(context, state, feature, routeRuntime, backend, endpoint);
            }
            finally
            {
                cluster.ExitRequest();
            }
        }
        finally
        {
            for (var i = 0; i < admitted; i++)
            {
                admissions[i].Exit();
            }
        }
    }

    private async Task ForwardAfterFaultAsync(HttpContext context, RuntimeState state, HigressRouteFeature feature, RouteRuntime routeRuntime, BackendPlan backend, Endpoint endpoint, FaultPlan fault)
    {
        if (await _faults.ApplyAsync(context, routeRuntime, feature, fault))
        {
            await MirrorThenSend(context, state, routeRuntime, backend, endpoint);
        }
    }

    // Mirrors copy the request as the backend would get it (route header edits and Via applied), after the plugins
    // and fault injection, as Envoy's router does.
    private Task MirrorThenSend(HttpContext context, RuntimeState state, RouteRuntime routeRuntime, BackendPlan backend, Endpoint endpoint) =>
        routeRuntime.Route.Mirrors.IsEmpty && backend.Mirrors.IsEmpty ? Send(context, routeRuntime, backend, endpoint) : MirrorThenSendAsync(context, state, routeRuntime, backend, endpoint);

    private async Task MirrorThenSendAsync(HttpContext context, RuntimeState state, RouteRuntime routeRuntime, BackendPlan backend, Endpoint endpoint)
    {
        var timeout = GrpcTimeout.Effective(context.Request, routeRuntime.Timeout);
        ViaHops.Append(context.Request.Headers);
        HeaderEdits.ApplyToRequest(context.Request, routeRuntime.Route, backend);
        await mirror.MirrorAsync(context, state, routeRuntime.Route, backend);
        await SendEdited(context, routeRuntime, endpoint, timeout);
    }

    // The deadline is read before the rule's header edits, from what the client sent, as Envoy's router reads it.
    private Task Send(HttpContext context, RouteRuntime routeRuntime, BackendPlan backend, Endpoint endpoint)
    {
        var timeout = GrpcTimeout.Effective(context.Request, routeRuntime.Timeout);
        ViaHops.Append(context.Request.Headers);
        HeaderEdits.ApplyToRequest(context.Request, routeRuntime.Route, backend);
        return SendEdited(context, routeRuntime, endpoint, timeout);
    }

    private Task SendEdited(HttpContext context, RouteRuntime routeRuntime, Endpoint endpoint, TimeSpan? deadline)
    {
        context.SetEndpoint(endpoint);
        if (deadline is { } timeout)
        {
            return SendWithTimeoutAsync(context, endpoint, routeRuntime, timeout);
        }

        var forwarding = Forwarder(context, routeRuntime, endpoint);
        return forwarding.IsCompletedSuccessfully && context.Features.Get<IForwarderErrorFeature>() is null
            ? forwarding
            : CompleteForwardingAsync(context, forwarding, routeRuntime.Route.Id);
    }

    // YARP links its upstream call to RequestAborted, so a deadline linked in there cancels the backend call (the
    // backend sees its request aborted) and YARP reports a cancellation, which the deadline turns into a 504.
    private async Task SendWithTimeoutAsync(HttpContext context, Endpoint endpoint, RouteRuntime routeRuntime, TimeSpan timeout)
    {
        var clientAborted = context.RequestAborted;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(clientAborted);
        deadline.CancelAfter(timeout);
        context.RequestAborted = deadline.Token;
        try
        {
            await Forwarder(context, routeRuntime, endpoint);
        }
        finally
        {
            context.RequestAborted = clientAborted;
        }

        if (context.Features.Get<IForwarderErrorFeature>() is { } error)
        {
            var timedOut = deadline.IsCancellationRequested && !clientAborted.IsCancellationRequested;
            await _errors.ForwardingFailedAsync(context, routeRuntime.Route.Id, error, timedOut);
        }
    }

    private async Task CompleteForwardingAsync(HttpContext context, Task forwarding, string routeId)
    {
        await forwarding;
        if (context.Features.Get<IForwarderErrorFeature>() is { } error)
        {
            await _errors.ForwardingFailedAsync(context, routeId, error);
        }
    }

    // The fast path where the rule, the cluster (a FastPathCluster exists only for eligible clusters while the fast
    // path is on) and the request allow it; YARP's pipeline otherwise. Both report failures the same way.
    private Task Forwarder(HttpContext context, RouteRuntime routeRuntime, Endpoint endpoint) =>
        routeRuntime.FastPath
        && context.Features.Get<IHigressRouteFeature>() is HigressRouteFeature { Cluster: { } cluster } feature
        && cluster.Policy(FastPath.FastPathClusterFactory.PolicyName) is FastPath.FastPathCluster fast
        && FastPath.FastPathEligibility.ForRequest(context)
            ? fastPath.ForwardAsync(context, feature, fast)
            : endpoint.RequestDelegate!(context);
}
