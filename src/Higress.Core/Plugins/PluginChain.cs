using System.Collections.Immutable;
using Higress.Core.Diagnostics;
using Higress.Core.Grpc;
using Higress.Core.Plan;
using Higress.Core.Resources;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Higress.Core.Plugins;

/// <summary>
/// The plugin instances of one rule, in execution order, built once per plan by <see cref="IPluginChainFactory"/>
/// and shared by every request on that plan. Request handlers run in order; response handlers of the plugins
/// whose request handler ran run in reverse order (the onion model of Envoy and ASP.NET middleware).
/// </summary>
internal sealed partial class PluginChain
{
    private readonly ImmutableArray<PluginChainEntry> _entries;
    private readonly ILogger _logger;
    private readonly PluginMetrics? _metrics;

    internal PluginChain(ImmutableArray<PluginChainEntry> entries, ILogger logger, PluginMetrics? metrics)
    {
        _entries = entries;
        _logger = logger;
        _metrics = metrics;
        Bindings = entries.Select(e => e.Binding).ToImmutableArray();
        HandlesResponses = entries.Any(e => e.Plugin is not null && ResponsePhase.IsHandledBy(e.Plugin));
    }

    /// <summary>
    /// True when a plugin of the chain acts on responses (overrides <c>OnResponseAsync</c>); a chain without one only
    /// decides, authenticates or edits requests, and its response phase needs nothing from the upstream's response.
    /// </summary>
    public bool HandlesResponses { get; }

    /// <summary>A chain without plugins; running it costs nothing.</summary>
    public static PluginChain Empty { get; } = new([], NullLogger.Instance, null);

    /// <summary>True when the chain has no plugins.</summary>
    public bool IsEmpty => _entries.IsEmpty;

    /// <summary>The instances, in execution order.</summary>
    public ImmutableArray<PluginBinding> Bindings { get; }

    /// <summary>
    /// Runs the request handlers. Call after routing matched <paramref name="route"/> and before the rule's
    /// action (forwarding, redirect, direct response).
    /// </summary>
    /// <param name="httpContext">The request.</param>
    /// <param name="route">The matched rule.</param>
    /// <returns>
    /// True to go on with the rule's action; false when a plugin ended the request, in which case the response
    /// (status, headers, body) has been written and nothing may be forwarded.
    /// </returns>
    public ValueTask<bool> ExecuteRequestAsync(HttpContext httpContext, RoutePlan route)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(route);
        return _entries.IsEmpty ? new ValueTask<bool>(true) : ExecuteRequestCoreAsync(httpContext, route);
    }

    /// <summary>
    /// Runs the response handlers. Call once the response status and headers are set (copied from the upstream,
    /// or set by the rule's local action) and before any body byte is written, e.g. from a YARP response
    /// transform. Not needed when <see cref="ExecuteRequestAsync"/> returned false (the chain already did it).
    /// </summary>
    /// <param name="httpContext">The request.</param>
    /// <param name="route">The matched rule.</param>
    /// <returns>
    /// True when the chain wrote a replacement body: the caller must then drop the upstream body (YARP:
    /// <c>ResponseTransformContext.SuppressResponseBody = true</c>) or its own local body.
    /// </returns>
    public ValueTask<bool> ExecuteResponseAsync(HttpContext httpContext, RoutePlan route)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(route);
        if (_entries.IsEmpty || PluginContext.Get(httpContext) is not { } context || context.EnteredCount == 0)
        {
            return new ValueTask<bool>(false);
        }

        return ExecuteResponseCoreAsync(context);
    }

    private async ValueTask<bool> ExecuteRequestCoreAsync(HttpContext httpContext, RoutePlan route)
    {
        var context = new PluginContext(httpContext, route);
        httpContext.Features.Set(context);
        var entries = _entries;
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i];
            PluginResult result;
            if (entry.Plugin is null)
            {
                Log.PluginUnavailable(_logger, entry.Binding.Name, entry.Binding.InstanceId, entry.Problem ?? "unknown");
                _metrics?.PluginFailed(entry.Binding.Name, "request", entry.Binding.FailStrategy);
                context.EnteredCount = i;
                context.EndedBy = entry.Binding.Name;
                await RespondAsync(context, PluginResult.Respond(StatusCodes.Status500InternalServerError)).ConfigureAwait(false);
                return false;
            }

            try
            {
                context.InstanceState = entry.State;
                context.FailStrategy = entry.Binding.FailStrategy;
                result = await entry.Plugin.OnRequestAsync(context, entry.Config!).ConfigureAwait(false);
            }
            catch (Exception ex) when (!IsAbort(ex, httpContext))
            {
                Log.RequestHandlerFailed(_logger, ex, entry.Binding.Name, entry.Binding.InstanceId, entry.Binding.FailStrategy);
                _metrics?.PluginFailed(entry.Binding.Name, "request", entry.Binding.FailStrategy);
                if (entry.Binding.FailStrategy == FailStrategy.FailOpen)
                {
                    continue;
                }

                // The failed plugin's own response handler must not run: it never finished its request work.
                context.EnteredCount = i;
                context.EndedBy = entry.Binding.Name;
                await RespondAsync(context, PluginResult.Respond(StatusCodes.Status500InternalServerError)).ConfigureAwait(false);
                return false;
            }

            if (!result.IsContinue)
            {
                context.EnteredCount = i + 1;
                context.EndedBy = entry.Binding.Name;
                await RespondAsync(context, result).ConfigureAwait(false);
                return false;
            }
        }

        context.EnteredCount = entries.Length;
        return true;
    }

    private async ValueTask RespondAsync(PluginContext context, PluginResult result)
    {
        var response = context.HttpContext.Response;
        context.IsLocalResponse = true;
        GrpcLocalReply.Begin(context.HttpContext);
        if (response.HasStarted)
        {
            // The plugin wrote the response itself; nothing more can be changed.
            return;
        }

        response.StatusCode = result.StatusCode;
        if (result.ContentType is not null)
        {
            response.ContentType = result.ContentType;
        }

        if (result.Body is not null)
        {
            context.SetResponseBody(result.Body);
        }

        await RunResponseHandlersAsync(context).ConfigureAwait(false);
        await WriteBodyAsync(context, context.ResponseBody ?? ReadOnlyMemory<byte>.Empty).ConfigureAwait(false);
    }

    private async ValueTask<bool> ExecuteResponseCoreAsync(PluginContext context)
    {
        await RunResponseHandlersAsync(context).ConfigureAwait(false);
        if (context.ResponseBody is not { } body || context.HttpContext.Response.HasStarted)
        {
            return false;
        }

        await WriteBodyAsync(context, body).ConfigureAwait(false);
        return true;
    }

    private async ValueTask RunResponseHandlersAsync(PluginContext context)
    {
        var httpContext = context.HttpContext;
        for (var i = context.EnteredCount - 1; i >= 0; i--)
        {
            var entry = _entries[i];
            try
            {
                context.InstanceState = entry.State;
                await entry.Plugin!.OnResponseAsync(context, entry.Config!).ConfigureAwait(false);
            }
            catch (Exception ex) when (!IsAbort(ex, httpContext))
            {
                Log.ResponseHandlerFailed(_logger, ex, entry.Binding.Name, entry.Binding.InstanceId, entry.Binding.FailStrategy);
                _metrics?.PluginFailed(entry.Binding.Name, "response", entry.Binding.FailStrategy);
                if (entry.Binding.FailStrategy == FailStrategy.FailOpen || httpContext.Response.HasStarted)
                {
                    continue;
                }

                httpContext.Response.Clear();
                httpContext.Response.StatusCode = StatusCodes.Status500InternalServerError;
                context.SetResponseBody(ReadOnlyMemory<byte>.Empty);
                return;
            }
        }
    }

    private static async ValueTask WriteBodyAsync(PluginContext context, ReadOnlyMemory<byte> body)
    {
        var response = context.HttpContext.Response;
        if (response.HasStarted || GrpcLocalReply.TryComplete(context.HttpContext, body))
        {
            return;
        }

        // The upstream's framing and encoding describe the body being replaced, not this one.
        response.Headers.Remove("Transfer-Encoding");
        response.Headers.ContentEncoding = default;
        response.ContentLength = body.Length;
        if (!body.IsEmpty && !HttpMethods.IsHead(context.HttpContext.Request.Method))
        {
            await response.Body.WriteAsync(body, context.HttpContext.RequestAborted).ConfigureAwait(false);
        }
    }

    private static bool IsAbort(Exception ex, HttpContext httpContext) =>
        ex is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested;

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.PluginRequestFailed, Level = LogLevel.Error, Message = "Plugin {Plugin} ({Instance}) failed handling the request; fail strategy {FailStrategy}.")]
        public static partial void RequestHandlerFailed(ILogger logger, Exception exception, string plugin, string instance, FailStrategy failStrategy);

        [LoggerMessage(EventId = EventIds.PluginResponseFailed, Level = LogLevel.Error, Message = "Plugin {Plugin} ({Instance}) failed handling the response; fail strategy {FailStrategy}.")]
        public static partial void ResponseHandlerFailed(ILogger logger, Exception exception, string plugin, string instance, FailStrategy failStrategy);

        [LoggerMessage(EventId = EventIds.PluginUnavailable, Level = LogLevel.Warning, Message = "Plugin {Plugin} ({Instance}) is unavailable ({Problem}); the request was answered 500 because its fail strategy is FAIL_CLOSE.")]
        public static partial void PluginUnavailable(ILogger logger, string plugin, string instance, string problem);
    }
}
