using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Higress.Core.Diagnostics;
using Higress.Core.Plan;
using Higress.Hosting.UpstreamTls;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Higress.Hosting.Runtime;

/// <summary>
/// Sends copies of a rule's requests to its mirrors, fire and forget (Envoy's request mirroring): the primary never
/// waits for a copy nor sees its outcome. A body is copied only when it fits <see cref="MaxBody"/>; at most
/// <see cref="MaxInFlight"/> copies are in flight per process, and copies over that are dropped and counted, so a
/// mirror that cannot keep up costs bounded memory. A mirror destination that refuses connections is left alone for a
/// growing back-off (<see cref="FirstBackoff"/> up to <see cref="MaxBackoff"/>), its copies dropped and counted, so that
/// failing connects (cheap for the mirror, not for the gateway) cannot take CPU from the primary. A mirror cluster with
/// upstream TLS gets its copies over that TLS (<see cref="UpstreamTlsConnector"/>: its CA, server name, client
/// certificate), as its primary traffic does.
/// </summary>
internal sealed partial class RequestMirror : IDisposable
{
    /// <summary>The largest request body copied to a mirror; a larger body means no copy.</summary>
    public const int MaxBody = 64 * 1024;

    /// <summary>Copies in flight per process; over it a copy is dropped.</summary>
    public const int MaxInFlight = 64;

    /// <summary>How long a mirror destination that refused a connection gets no copies, at first.</summary>
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);

    /// <summary>The longest back-off after repeated refusals.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private static readonly HashSet<string> NotCopied = new(StringComparer.OrdinalIgnoreCase)
    {
        HeaderNames.Host, HeaderNames.Connection, HeaderNames.KeepAlive, HeaderNames.TransferEncoding, HeaderNames.TE,
        HeaderNames.Upgrade, HeaderNames.ProxyAuthorization, "Proxy-Connection", HeaderNames.ContentLength, HeaderNames.Expect,
    };

    private readonly HttpMessageInvoker _client;
    private readonly UpstreamTlsCatalog _tls;
    private readonly UpstreamTlsConnector _connector;
    private readonly ConcurrentDictionary<string, (ClusterTls Tls, HttpMessageInvoker Client)> _tlsClients = new(StringComparer.Ordinal);
    private readonly Lock _tlsClientsLock = new();
    private readonly Counter<long> _sent;
    private readonly Counter<long> _dropped;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Backoff> _unreachable = new(StringComparer.OrdinalIgnoreCase);
    private int _inFlight;

    public RequestMirror(HigressMeter meter, ILogger<RequestMirror> logger, UpstreamTlsCatalog tls, UpstreamTlsConnector connector, TimeProvider? time = null)
    {
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _tls = tls;
        _connector = connector;
        _client = new HttpMessageInvoker(Handler());
        _sent = meter.Meter.CreateCounter<long>(MetricNames.MirrorRequests, "{request}", "Request copies sent to mirrors");
        _dropped = meter.Meter.CreateCounter<long>(MetricNames.MirrorDropped, "{request}", "Request copies not sent: reason=overloaded (too many in flight), unreachable (the mirror refused connections recently), body_too_large or body_unreadable");
    }

    /// <summary>How long a copy may take before it is abandoned: the rule's timeout, or 30 s.</summary>
    private static TimeSpan CopyTimeout(RoutePlan route) => route.Timeout ?? TimeSpan.FromSeconds(30);

    /// <summary>Starts the copies of this request for the rule's and the chosen backend's mirrors; returns once the body (if any) is buffered.</summary>
    public async Task MirrorAsync(HttpContext context, RuntimeState state, RoutePlan route, BackendPlan backend)
    {
        var chosen = route.Mirrors.Concat(backend.Mirrors).Where(m => Random.Shared.NextDouble() * 100 < m.Percent && state.Clusters.ContainsKey(m.ClusterId)).ToList();
        if (chosen.Count == 0)
        {
            return;
        }

        // Full already: no body is buffered for copies that would be dropped anyway.
        if (Volatile.Read(ref _inFlight) >= MaxInFlight)
        {
            _dropped.Add(chosen.Count, new KeyValuePair<string, object?>("reason", "overloaded"));
            return;
        }

        var (body, dropReason) = await BufferBodyAsync(context.Request);
        if (body is null)
        {
            _dropped.Add(chosen.Count, new KeyValuePair<string, object?>("reason", dropReason));
            return;
        }

        foreach (var mirror in chosen)
        {
            var destinations = state.Clusters[mirror.ClusterId].Cluster.Destinations;
            if (destinations.Count == 0)
            {
                continue;
            }

            if (Interlocked.Increment(ref _inFlight) > MaxInFlight)
            {
                Interlocked.Decrement(ref _inFlight);
                _dropped.Add(1, new KeyValuePair<string, object?>("reason", "overloaded"));
                continue;
            }

            var destination = destinations[Random.Shared.Next(destinations.Count)];
            if (_unreachable.TryGetValue(destination.Address, out var backoff) && _time.GetTimestamp() < backoff.Until)
            {
                Interlocked.Decrement(ref _inFlight);
                _dropped.Add(1, new KeyValuePair<string, object?>("reason", "unreachable"));
                continue;
            }

            var message = Copy(context.Request, destination.Address, state.Clusters[mirror.ClusterId].Cluster.Protocol, body);
            _sent.Add(1);
            _ = SendAsync(ClientFor(mirror.ClusterId), message, destination.Address, route.Id, CopyTimeout(route));
        }
    }

    public void Dispose()
    {
        _client.Dispose();
        foreach (var (_, client) in _tlsClients.Values)
        {
            client.Dispose();
        }
    }

    private static SocketsHttpHandler Handler() => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
    };

    // A cluster with TLS gets a client of its own whose connections originate that TLS; a client whose settings were
    // replaced is dropped (copies still in flight on it finish, and its idle connections close after their timeout).
    private HttpMessageInvoker ClientFor(string clusterId)
    {
        if (_tls.Find(clusterId) is not { } tls)
        {
            return _client;
        }

        if (_tlsClients.TryGetValue(clusterId, out var kept) && kept.Tls == tls)
        {
            return kept.Client;
        }

        lock (_tlsClientsLock)
        {
            if (_tlsClients.TryGetValue(clusterId, out kept) && kept.Tls == tls)
            {
                return kept.Client;
            }

            var handler = Handler();
            handler.ConnectCallback = _connector.Callback(tls);
            var client = new HttpMessageInvoker(handler);
            _tlsClients[clusterId] = (tls, client);
            return client;
        }
    }

    // The body is read into the request's own buffer (EnableBuffering) and rewound, so the primary still gets all of it.
    // A body that cannot be read (client gone, over the host's size limit) gives no copy; forwarding then meets the
    // same failure and answers it as it would without a mirror.
    private static async Task<(byte[]? Body, string Reason)> BufferBodyAsync(HttpRequest request)
    {
        var hasBody = request.ContentLength is > 0 || (request.ContentLength is null && request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true);
        if (!hasBody)
        {
            return ([], string.Empty);
        }

        if (request.ContentLength is > MaxBody)
        {
            return (null, "body_too_large");
        }

        request.EnableBuffering(MaxBody);
        var buffer = new byte[(request.ContentLength ?? MaxBody) + 1];
        var read = 0;
        try
        {
            int n;
            while (read < buffer.Length && (n = await request.Body.ReadAsync(buffer.AsMemory(read), request.HttpContext.RequestAborted)) > 0)
            {
                read += n;
            }
        }
        catch (Exception ex) when (ex is IOException or BadHttpRequestException or OperationCanceledException)
        {
            request.Body.Position = 0;
            return (null, "body_unreadable");
        }

        request.Body.Position = 0;
        return read > MaxBody ? (null, "body_too_large") : (buffer[..read], string.Empty);
    }

    private static HttpRequestMessage Copy(HttpRequest request, string address, UpstreamProtocol protocol, byte[] body)
    {
        var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(address.TrimEnd('/') + request.Path.ToUriComponent() + request.QueryString.ToUriComponent()));
        if (protocol == UpstreamProtocol.Http2)
        {
            message.Version = HttpVersion.Version20;
            message.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }

        if (body.Length > 0 || request.ContentLength is not null)
        {
            message.Content = new ByteArrayContent(body);
        }

        foreach (var header in request.Headers)
        {
            if (NotCopied.Contains(header.Key))
            {
                continue;
            }

            if (!message.Headers.TryAddWithoutValidation(header.Key, (IEnumerable<string?>)header.Value))
            {
                message.Content?.Headers.TryAddWithoutValidation(header.Key, (IEnumerable<string?>)header.Value);
            }
        }

        message.Headers.Host = ShadowHost(request.Host);
        return message;
    }

    /// <summary>Envoy's shadow host: <c>-shadow</c> appended to the host name, the port kept.</summary>
    internal static string ShadowHost(HostString host) => host.Port is { } port
        ? $"{host.Host}-shadow:{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}"
        : (host.Host ?? string.Empty) + "-shadow";

    private async Task SendAsync(HttpMessageInvoker client, HttpRequestMessage message, string address, string routeId, TimeSpan timeout)
    {
        try
        {
            // Off the request's thread at once, so that even the synchronous part of a send cannot delay the primary.
            await Task.Yield();
            using var deadline = new CancellationTokenSource(timeout);
            using var response = await client.SendAsync(message, deadline.Token);
            _unreachable.TryRemove(address, out _);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            if (ex is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } || ex.InnerException is SocketException)
            {
                var next = _unreachable.AddOrUpdate(address, _ => new Backoff(FirstBackoff, _time), (_, last) => last.Next(_time));
                Log.MirrorUnreachable(_logger, routeId, address, next.Duration.TotalSeconds);
            }

            Log.MirrorFailed(_logger, routeId, message.RequestUri!, ex.Message);
        }
        finally
        {
            message.Dispose();
            Interlocked.Decrement(ref _inFlight);
        }
    }

    // A destination that refused a connection gets no copies until Until; each further refusal doubles the pause.
    private sealed record Backoff(TimeSpan Duration, long Until)
    {
        public Backoff(TimeSpan duration, TimeProvider time)
            : this(duration, time.GetTimestamp() + (long)(duration.TotalSeconds * time.TimestampFrequency))
        {
        }

        public Backoff Next(TimeProvider time) => new(Duration * 2 < MaxBackoff ? Duration * 2 : MaxBackoff, time);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.MirrorUnreachable, Level = LogLevel.Information, Message = "Rule {RouteId}: mirror {Address} refused a connection; its copies are dropped for {Seconds} s")]
        public static partial void MirrorUnreachable(ILogger logger, string routeId, string address, double seconds);

        [LoggerMessage(EventId = EventIds.MirrorFailed, Level = LogLevel.Debug, Message = "Rule {RouteId}: the mirrored copy to {Uri} failed: {Reason}")]
        public static partial void MirrorFailed(ILogger logger, string routeId, Uri uri, string reason);
    }
}
