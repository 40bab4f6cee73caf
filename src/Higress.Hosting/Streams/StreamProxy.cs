using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Higress.Core.Diagnostics;
using Higress.Core.Plan;
using Higress.Hosting.Runtime;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Higress.Hosting.Streams;

/// <summary>
/// Serves TCP and TLS-passthrough listeners as Kestrel connection middleware: a connection that arrives on a stream
/// listener's port is taken before any HTTP (or TLS) handling, matched to a rule by its source address and, on TLS
/// ports, by the SNI of its ClientHello (read without consuming it), and forwarded byte for byte to one of the rule's
/// weighted backends. Connections on other ports go on to Kestrel's HTTP handling untouched.
/// </summary>
internal sealed partial class StreamProxy(HigressRuntime runtime, IOptions<HigressOptions> options, StreamMetrics metrics, ILogger<StreamProxy> logger)
{
    private readonly HigressStreamOptions _options = options.Value.Streams;
    private readonly ConcurrentDictionary<string, StrongBox> _active = new(StringComparer.Ordinal);
    private volatile Built _built = new(GatewayPlan.Empty, StreamTable.Empty);

    /// <summary>The middleware for one Kestrel endpoint (every endpoint gets it; it passes on all but stream ports).</summary>
    public ConnectionDelegate Wrap(ConnectionDelegate next) => context =>
        context.LocalEndPoint is IPEndPoint local && Table().TryGetPort(local.Port, out var port)
            ? Serve(context, port)
            : next(context);

    /// <summary>The table of the plan being served, rebuilt when the plan changes.</summary>
    internal StreamTable Table()
    {
        var plan = runtime.Current.Plan;
        var built = _built;
        if (!ReferenceEquals(built.Plan, plan))
        {
            built = new Built(plan, StreamTable.Build(plan));
            _built = built;
        }

        return built.Table;
    }

    private async Task Serve(ConnectionContext context, StreamPort port)
    {
        var portName = port.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var client = (context.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
        string? sni = null;
        if (port.IsTls)
        {
            (var ok, sni) = await ReadServerName(context);
            if (!ok)
            {
                metrics.Connection(portName, "no_client_hello");
                Log.NoClientHello(logger, context.RemoteEndPoint, port.Port);
                return;
            }
        }

        if (port.Select(client, sni) is not { } candidate)
        {
            metrics.Connection(portName, "no_route");
            Log.NoRoute(logger, context.RemoteEndPoint, port.Port, sni ?? "(none)");
            return;
        }

        var listener = candidate.ListenerId;
        var active = _active.GetOrAdd(listener, static _ => new StrongBox());
        if (Interlocked.Increment(ref active.Value) > _options.MaxConnectionsPerListener)
        {
            Interlocked.Decrement(ref active.Value);
            metrics.Connection(listener, "limit");
            Log.LimitReached(logger, context.RemoteEndPoint, listener, _options.MaxConnectionsPerListener);
            return;
        }

        try
        {
            var backend = candidate.Rule.Pick();
            if (backend?.NextEndpoint() is not { } endpoint)
            {
                metrics.Connection(listener, "no_backend");
                Log.BackendFailed(logger, context.RemoteEndPoint, candidate.Rule.Plan.Id, backend?.Plan.ClusterId ?? "(none)", backend?.Plan.Error ?? "the cluster has no endpoint");
                return;
            }

            var pool = backend.Cluster?.ConnectionPool;
            using var upstream = await Connect(endpoint, pool?.ConnectTimeout ?? _options.ConnectTimeout);
            if (upstream is null)
            {
                metrics.Connection(listener, "connect_failed");
                Log.BackendFailed(logger, context.RemoteEndPoint, candidate.Rule.Plan.Id, backend.Plan.ClusterId ?? "(none)", $"connecting to {endpoint} failed or timed out");
                return;
            }

            metrics.Connection(listener, "forwarded");
            metrics.Active(listener, 1);
            try
            {
                await new StreamPump(context, upstream, pool?.IdleTimeout ?? _options.IdleTimeout, listener, metrics).RunAsync();
            }
            finally
            {
                metrics.Active(listener, -1);
            }
        }
        finally
        {
            Interlocked.Decrement(ref active.Value);
        }
    }

    /// <summary>Peeks at the ClientHello: the bytes stay in the pipe and are forwarded as they are.</summary>
    private async Task<(bool Ok, string? ServerName)> ReadServerName(ConnectionContext context)
    {
        var input = context.Transport.Input;
        using var timeout = new CancellationTokenSource(_options.ClientHelloTimeout);
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(timeout.Token);
                var buffer = result.Buffer;
                var outcome = ClientHello.TryRead(buffer, out var serverName);
                if (outcome == ClientHello.Outcome.Complete)
                {
                    // Nothing consumed or examined: the pump's first read returns these same bytes at once.
                    input.AdvanceTo(buffer.Start);
                    return (true, serverName);
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (outcome == ClientHello.Outcome.Invalid || result.IsCompleted || result.IsCanceled)
                {
                    return (false, null);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ConnectionResetException)
        {
            return (false, null);
        }
    }

    // Not tied to ConnectionContext.ConnectionClosed: Kestrel fires it on the client's FIN, and a client that sends
    // its request and half-closes at once must still be forwarded.
    private static async Task<Socket?> Connect(EndPoint endpoint, TimeSpan timeout)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await socket.ConnectAsync(endpoint, cts.Token);
            return socket;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            return null;
        }
    }

    private sealed record Built(GatewayPlan Plan, StreamTable Table);

    private sealed class StrongBox
    {
        public int Value;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.StreamNoRoute, Level = LogLevel.Information, Message = "Connection from {Client} on port {Port} (SNI {ServerName}) matches no rule; closed without contacting a backend")]
        public static partial void NoRoute(ILogger logger, EndPoint? client, int port, string serverName);

        [LoggerMessage(EventId = EventIds.StreamLimitReached, Level = LogLevel.Warning, Message = "Connection from {Client} refused: listener {Listener} already forwards {Limit} connections (Higress:Streams:MaxConnectionsPerListener)")]
        public static partial void LimitReached(ILogger logger, EndPoint? client, string listener, int limit);

        [LoggerMessage(EventId = EventIds.StreamBackendFailed, Level = LogLevel.Warning, Message = "Connection from {Client} closed: rule {Rule} cannot reach cluster {Cluster}: {Reason}")]
        public static partial void BackendFailed(ILogger logger, EndPoint? client, string rule, string cluster, string reason);

        [LoggerMessage(EventId = EventIds.StreamNoClientHello, Level = LogLevel.Information, Message = "Connection from {Client} on TLS port {Port} closed: no TLS ClientHello arrived in time (Higress:Streams:ClientHelloTimeout)")]
        public static partial void NoClientHello(ILogger logger, EndPoint? client, int port);
    }
}
