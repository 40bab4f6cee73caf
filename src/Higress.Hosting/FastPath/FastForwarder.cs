using System.Buffers;
using System.Collections.Frozen;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.IO.Pipelines;
using Higress.Core.Diagnostics;
using Higress.Core.Routing;
using Higress.Hosting.AccessLog;
using Higress.Hosting.Runtime;
using Higress.Hosting.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace Higress.Hosting.FastPath;

/// <summary>
/// Forwards an eligible request (<see cref="FastPathEligibility"/>) over a pooled HTTP/1.1 connection to the
/// destination YARP's own state and load-balancing policy choose. It stands where YARP's forwarder stands: after the
/// middleware applied the plugins, header edits, mirrors and limits, under the same deadline, and it reports failures
/// as YARP does (<see cref="IForwarderErrorFeature"/>), so that the gateway answers them alike. Rewrites, the
/// <c>Host</c> and <c>X-Forwarded-*</c> headers, response header edits, upstream timing and the access log's upstream
/// fields are those of the YARP path.
/// </summary>
internal sealed partial class FastForwarder
{
    private readonly IProxyStateLookup _proxies;
    private readonly FrozenDictionary<string, ILoadBalancingPolicy> _policies;
    private readonly RequestNormalization _normalization;
    private readonly GatewayTelemetry _telemetry;
    private readonly Counter<long> _requests;
    private readonly ILogger _logger;

    public FastForwarder(IProxyStateLookup proxies, IEnumerable<ILoadBalancingPolicy> policies, RequestNormalization normalization, GatewayTelemetry telemetry, HigressMeter meter, ILogger<FastForwarder> logger)
    {
        _proxies = proxies;
        _policies = policies.ToFrozenDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        _normalization = normalization;
        _telemetry = telemetry;
        _logger = logger;
        _requests = meter.Meter.CreateCounter<long>(MetricNames.FastPathRequests, "{request}", "Requests forwarded by the HTTP/1.1 fast path (the others went through YARP)");
    }

    /// <summary>Forwards the request to <paramref name="cluster"/>; a failure is left in <see cref="IForwarderErrorFeature"/>.</summary>
    public Task ForwardAsync(HttpContext context, HigressRouteFeature feature, FastPathCluster cluster)
    {
        if (!_proxies.TryGetCluster(cluster.Cluster.Id, out var state))
        {
            return Fail(context, ForwarderError.NoAvailableDestinations, null);
        }

        var destinations = state.DestinationsState;
        var available = destinations.AvailableDestinations;
        var proxy = new FastPathProxyFeature(context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>()!, state.Model, destinations);
        context.Features.Set<IReverseProxyFeature>(proxy);
        var destination = available.Count switch
        {
            0 => null,
            1 => available[0],
            _ => _policies.TryGetValue(state.Model.Config.LoadBalancingPolicy ?? LoadBalancingPolicies.PowerOfTwoChoices, out var policy)
                ? policy.PickDestination(context, state, available)
                : available[0],
        };
        if (destination is null)
        {
            return Fail(context, ForwarderError.NoAvailableDestinations, null);
        }

        proxy.AvailableDestinations = destination;
        proxy.ProxiedDestination = destination;
        _requests.Add(1);
        return SendAsync(context, feature, cluster.Cluster.Id, cluster.For(destination.Model.Config.Address));
    }

    private async Task SendAsync(HttpContext context, HigressRouteFeature feature, string clusterId, FastPathCluster.Destination destination)
    {
        var (target, host) = Target(context, feature, destination);
        var record = context.Features.Get<AccessLogRecord>();
        record?.UpstreamStarted();
        var start = Stopwatch.GetTimestamp();
        var aborted = context.RequestAborted;
        var pool = destination.Pool;
        var connection = pool.TryRent(probe: context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != false);
        var reused = connection is not null;
        CancellationTokenSource? call = null;
        Task? body = null;
        ResponseHead head;
        while (true)
        {
            var hasBody = false;
            try
            {
                connection ??= await pool.ConnectAsync(aborted);
                connection.Requests++;
                (hasBody, var chunked) = RequestHead.Write(connection.Output, context, target, host, GatewaySpan(), _telemetry.Propagation);
                if (hasBody)
                {
                    // The body streams beside the wait for the response head: an upstream may answer before reading it all.
                    call = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                    body = RequestBody.CopyAsync(context.Request.BodyReader, connection.Output, chunked, call);
                }
                else
                {
                    await connection.Output.FlushAsync(aborted);
                }

                head = await ReadHeadAsync(connection, call?.Token ?? aborted);
                break;
            }
            catch (Exception ex) when (reused && !hasBody && IsStale(ex))
            {
                // Closed by the upstream while idle, and nothing of the client's was consumed: once more, on a new connection.
                Log.StaleConnection(_logger, clusterId, destination.Authority);
                await connection!.DisposeAsync();
                connection = null;
                reused = false;
            }
            catch (Exception ex)
            {
                _telemetry.UpstreamAnswered(clusterId, Stopwatch.GetElapsedTime(start));
                var error = await AbandonAsync(connection, body, call) ?? ex;
                var kind = error switch
                {
                    RequestBody.BodyException failed => failed.Kind,
                    OperationCanceledException when aborted.IsCancellationRequested => ForwarderError.RequestCanceled,
                    _ => ForwarderError.Request,
                };
                Rejected(clusterId, destination, error);

                // YARP runs the response transforms for a failed call too: the gateway's error answer gets the rule's edits.
                HeaderEdits.ApplyToResponse(context.Response, feature.Match.Route, feature.Backend);
                await Fail(context, kind, error);
                return;
            }
        }

        _telemetry.UpstreamAnswered(clusterId, Stopwatch.GetElapsedTime(start));
        record?.UpstreamResponded();
        var response = context.Response;
        var framing = head.Framing(HttpMethods.IsHead(context.Request.Method));
        ResponseHeaders.Copy(head, response);
        HeaderEdits.ApplyToResponse(response, feature.Match.Route, feature.Backend);

        // The rule's plugins act only on requests here (FastPathEligibility), but their chain still ends as on YARP's
        // path: a body a request handler set replaces the upstream's, whose rest then closes with its connection.
        var plugins = feature.Rule.Plugins;
        bool replaced;
        try
        {
            replaced = !plugins.IsEmpty && await plugins.ExecuteResponseAsync(context, feature.Match.Route);
        }
        catch
        {
            await AbandonAsync(connection, body, call);
            throw;
        }

        if (replaced)
        {
            await AbandonAsync(connection, body, call);
            return;
        }

        try
        {
            await ResponseBody.CopyAsync(connection.Input, response.BodyWriter, framing, head.ContentLength ?? 0, aborted);
        }
        catch (Exception ex)
        {
            await AbandonAsync(connection, body, call);
            Rejected(clusterId, destination, ex);
            var kind = ex switch
            {
                ResponseBody.ClientGoneException => ForwarderError.ResponseBodyClient,
                OperationCanceledException when aborted.IsCancellationRequested => ForwarderError.ResponseBodyCanceled,
                _ => ForwarderError.ResponseBodyDestination,
            };

            // The client must see the response break. (YARP answers 502 when no byte had been sent yet; here decoded bytes
            // may wait unflushed in Kestrel's writer, and a 502 behind them would be a second, corrupt response.)
            context.Abort();

            await Fail(context, kind, ex);
            return;
        }

        await FinishAsync(context, pool, connection, head, framing, body, call);
    }

    // Reused only when both messages were framed completely, nobody asked to close, and nothing unasked-for follows.
    private static async Task FinishAsync(HttpContext context, UpstreamConnectionPool pool, UpstreamConnection connection, ResponseHead head, ResponseFraming framing, Task? body, CancellationTokenSource? call)
    {
        var reusable = head.KeepAlive && framing != ResponseFraming.UntilClose && !ClientAskedToClose(context);
        if (body is not null)
        {
            reusable &= body.IsCompletedSuccessfully;
            if (!body.IsCompleted)
            {
                call!.Cancel();
            }

            try
            {
                await body;
            }
            catch (Exception)
            {
                // The response was delivered; an unfinished upload only means the connection cannot be reused.
            }

            call!.Dispose();
        }

        if (reusable && connection.Input.TryRead(out var rest))
        {
            reusable = rest.Buffer.IsEmpty && !rest.IsCompleted;
            connection.Input.AdvanceTo(rest.Buffer.Start);
        }

        if (reusable)
        {
            pool.Return(connection);
        }
        else
        {
            await connection.DisposeAsync();
        }
    }

    private (string Target, string Host) Target(HttpContext context, HigressRouteFeature feature, FastPathCluster.Destination destination)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        var rewritten = false;
        var rewrite = feature.Backend?.Rewrite ?? feature.Match.Route.Rewrite;
        if (rewrite?.Path is { } modifier)
        {
            path = PathRewrite.Apply(path, modifier, feature.Match);
            rewritten = true;
        }

        var target = _normalization.WireTarget(context, path, rewritten, request.QueryString.Value) ?? RequestNormalization.DefaultWireTarget(path, request.QueryString);
        if (destination.PathPrefix.Length > 0)
        {
            target = destination.PathPrefix + target;
        }
        else if (target.Length == 0 || target[0] != '/')
        {
            target = "/" + target;
        }

        var host = rewrite?.Hostname ?? (request.Host.HasValue ? request.Host.Value : destination.Authority);
        return (target, host);
    }

    private static async ValueTask<ResponseHead> ReadHeadAsync(UpstreamConnection connection, CancellationToken cancellationToken)
    {
        var input = connection.Input;
        var received = false;
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(cancellationToken);
            }
            catch (IOException ex)
            {
                throw new UpstreamClosedException(!received, ex);
            }

            var buffer = result.Buffer;
            ResponseHead? head;
            SequencePosition consumed;
            try
            {
                head = ResponseHead.TryParse(buffer, out consumed, connection.ResponseHeaders);
            }
            catch
            {
                input.AdvanceTo(buffer.Start);
                throw;
            }

            if (head is null)
            {
                received |= !buffer.IsEmpty;
                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    throw new UpstreamClosedException(!received);
                }

                continue;
            }

            input.AdvanceTo(consumed);
            received = true;
            if (head.Status >= 200)
            {
                return head;
            }

            // Interim responses (100, 102, 103) are not forwarded over HTTP/1.1 by YARP either; 101 was never asked for.
            if (head.Status == StatusCodes.Status101SwitchingProtocols)
            {
                throw new UpstreamProtocolException("the upstream switched protocols (101) though no upgrade was requested");
            }
        }
    }

    private static bool IsStale(Exception ex) => ex switch
    {
        UpstreamClosedException closed => closed.NoBytes,
        UpstreamProtocolException or OperationCanceledException => false,
        IOException or System.Net.Sockets.SocketException => true,
        _ => false,
    };

    private static bool ClientAskedToClose(HttpContext context)
    {
        foreach (var value in context.Request.Headers.Connection)
        {
            if (value is not null && value.Contains("close", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    // Stops the upload, closes the connection, and returns the upload's own failure when that is what ended the call.
    private static async Task<Exception?> AbandonAsync(UpstreamConnection? connection, Task? body, CancellationTokenSource? call)
    {
        Exception? failure = null;
        if (body is not null)
        {
            if (!body.IsCompleted)
            {
                call!.Cancel();
            }

            try
            {
                await body;
            }
            catch (RequestBody.BodyException ex)
            {
                failure = ex;
            }
            catch (Exception)
            {
                // Cancelled by the line above: the call's own failure is the one to report.
            }

            call!.Dispose();
        }

        if (connection is not null)
        {
            await connection.DisposeAsync();
        }

        return failure;
    }

    private void Rejected(string clusterId, FastPathCluster.Destination destination, Exception error)
    {
        if (error is UpstreamProtocolException)
        {
            Log.UpstreamRejected(_logger, clusterId, destination.Authority, error.Message);
        }
    }

    private static Activity? GatewaySpan() => Activity.Current is { } span && span.Source == GatewayTelemetry.Source ? span : null;

    private static Task Fail(HttpContext context, ForwarderError error, Exception? exception)
    {
        context.Features.Set<IForwarderErrorFeature>(new FastPathError(error, exception));
        return Task.CompletedTask;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.FastPathStaleConnection, Level = LogLevel.Debug, Message = "A pooled connection of cluster {Cluster} to {Destination} had been closed by the upstream; the request is sent again on a new connection")]
        public static partial void StaleConnection(ILogger logger, string cluster, string destination);

        [LoggerMessage(EventId = EventIds.FastPathUpstreamRejected, Level = LogLevel.Warning, Message = "Cluster {Cluster}: the response of {Destination} was refused: {Reason}")]
        public static partial void UpstreamRejected(ILogger logger, string cluster, string destination, string reason);
    }
}
