using System.Globalization;
using System.Net;
using Higress.Core.Diagnostics;
using Higress.Core.Plan;
using Higress.Core.Resources;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Higress.Hosting.Listeners;

/// <summary>
/// Opens and closes Kestrel endpoints as Gateways change, through Kestrel's own configuration reload: Higress owns an
/// in-memory configuration of <c>Endpoints</c> (one per listener address and port, plus the admin port), layered over
/// the host's <c>Kestrel</c> section and <c>urls</c> so that the host's own endpoints stay open.
/// An endpoint is handed to Kestrel only after a bind probe succeeds; one that cannot be bound is left out, reported
/// (log, <c>/config_dump</c>, <c>/readyz</c>, the Gateway's status) and retried on every apply and every few seconds,
/// so that freeing the port heals it without a restart.
/// </summary>
internal sealed partial class ListenerManager : IDisposable
{
    /// <summary>How often failed endpoints are retried and handed endpoints are checked against what Kestrel bound.</summary>
    internal static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(2);

    private readonly HigressOptions _options;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly ILogger<ListenerManager> _logger;
    private readonly ListenerConfigurationProvider _provider = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Tracked> _tracked = new(StringComparer.Ordinal);
    private readonly bool _hostHasEndpoints;
    private readonly ITimer _timer;
    private IReadOnlyList<ListenerPlan> _listeners = [];
    private bool _http3Reported;

    public ListenerManager(
        IOptions<HigressOptions> options,
        IConfiguration hostConfiguration,
        TlsCertificateStore certificates,
        IServiceProvider services,
        TimeProvider time,
        ILogger<ListenerManager> logger)
    {
        _options = options.Value;
        Certificates = certificates;
        _services = services;
        _time = time;
        _logger = logger;
        var kestrel = hostConfiguration.GetSection("Kestrel");
        var builder = new ConfigurationBuilder().AddConfiguration(kestrel);
        builder.Add(new ListenerConfigurationSource(_provider));
        Configuration = builder.Build();
        HostUrls = (hostConfiguration["urls"] ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        _hostHasEndpoints = HostUrls.Length > 0 || kestrel.GetSection("Endpoints").GetChildren().Any();
        Reconcile();
        _timer = time.CreateTimer(static state => ((ListenerManager)state!).ReconcileOnTimer(), this, RetryInterval, RetryInterval);
    }

    /// <summary>The certificates HTTPS listeners serve.</summary>
    public TlsCertificateStore Certificates { get; }

    /// <summary>The configuration Kestrel loads its endpoints from (reloaded on change).</summary>
    public IConfiguration Configuration { get; }

    private string[] HostUrls { get; }

    /// <summary>Opens the ports of <paramref name="listeners"/> and closes the others.</summary>
    public void Update(EquatableArray<ListenerPlan> listeners)
    {
        var open = _options.OpenListeners ? listeners.Where(l => l.IsHttp || l.IsStream).ToList() : [];

        // Certificates first, so that a new HTTPS endpoint has them when it opens.
        Certificates.Update(open);
        if (_options.Http3 && !Http3Support.IsSupported && !_http3Reported && open.Any(l => l.Protocol == ListenerProtocol.Https))
        {
            _http3Reported = true;
            Log.Http3Unsupported(_logger, Http3Support.UnsupportedReason);
        }

        lock (_lock)
        {
            _listeners = open;
        }

        Reconcile();
    }

    /// <summary>Every endpoint Higress wants open (admin first, UDP sockets last), with its state as of now.</summary>
    public IReadOnlyList<ListenerEndpointStatus> Endpoints()
    {
        var bound = KestrelAddresses();
        List<ListenerEndpointStatus> result;
        lock (_lock)
        {
            result = _tracked.Values.Select(t => new ListenerEndpointStatus(t.Endpoint, StateOf(t, bound), t.Failure)).ToList();
        }

        result.AddRange(_services.GetService<Datagrams.DatagramProxy>()?.Endpoints() ?? []);
        return result;
    }

    public void Dispose() => _timer.Dispose();

    /// <summary>
    /// Brings Kestrel's configuration in line with the wanted endpoints: keeps those already handed to Kestrel, probes
    /// the others and hands over those that bind, and takes back any that Kestrel has not bound after a grace period
    /// (it lost a race for the port, or failed for a reason of its own).
    /// </summary>
    // A timer tick can land after the host has been disposed, before this object is: the host is gone, so there is
    // nothing left to reconcile, and an exception on a timer thread would end the process.
    private void ReconcileOnTimer()
    {
        try
        {
            Reconcile();
        }
        catch (ObjectDisposedException)
        {
            _timer.Dispose();
        }
    }

    private void Reconcile()
    {
        var bound = KestrelAddresses();
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            var wanted = Describe(_listeners);
            foreach (var gone in _tracked.Keys.Except(wanted.Select(w => w.Name)).ToList())
            {
                _tracked.Remove(gone);
            }

            foreach (var endpoint in wanted)
            {
                if (!_tracked.TryGetValue(endpoint.Name, out var tracked))
                {
                    tracked = new Tracked(endpoint);
                    _tracked[endpoint.Name] = tracked;
                }
                else if (tracked.Endpoint.Url != endpoint.Url || tracked.Endpoint.Protocols != endpoint.Protocols)
                {
                    // Kestrel rebinds a changed endpoint it holds: keep it handed, and give the rebind its grace period.
                    tracked.HandedAt = tracked.HandedAt is null ? null : bound is null ? DateTimeOffset.MaxValue : now;
                }

                tracked.Endpoint = endpoint;

                Step(tracked, bound, now);
            }

            var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < HostUrls.Length; i++)
            {
                data[$"Endpoints:host-url-{i}:Url"] = HostUrls[i];
            }

            foreach (var tracked in _tracked.Values.Where(t => t.HandedAt is not null))
            {
                data[$"Endpoints:{tracked.Endpoint.Name}:Url"] = tracked.Endpoint.Url;
                if (tracked.Endpoint.Protocols is { } protocols)
                {
                    data[$"Endpoints:{tracked.Endpoint.Name}:Protocols"] = protocols;
                }
            }

            if (data.Count == 0 && !_hostHasEndpoints)
            {
                // With no endpoint at all Kestrel would bind http://localhost:5000 on its own (and end the host if
                // that port is taken); an ephemeral loopback port keeps it from doing so until a listener opens.
                data["Endpoints:higress-placeholder:Url"] = "http://127.0.0.1:0";
            }

            if (_provider.Replace(data))
            {
                Log.ListenersChanged(_logger, string.Join(", ", _tracked.Values.Where(t => t.HandedAt is not null).Select(t => t.Endpoint.Url)));
            }
        }
    }

    private void Step(Tracked tracked, HashSet<(IPAddress?, int)>? bound, DateTimeOffset now)
    {
        var endpoint = tracked.Endpoint;
        if (tracked.HandedAt is { } handedAt)
        {
            if (IsBound(endpoint, bound))
            {
                if (tracked.WasFailed)
                {
                    tracked.WasFailed = false;
                    Log.EndpointRecovered(_logger, endpoint.Url, endpoint.Owners);
                }

                return;
            }

            // Kestrel binds a handed endpoint within moments of the reload; counting starts once the server runs.
            if (bound is null || now - handedAt < RetryInterval)
            {
                return;
            }

            tracked.HandedAt = null;
            Fail(tracked, BindProbe.Check(endpoint.Address, endpoint.Port)
                ?? "Kestrel did not open it after the configuration reload (see its log for 'Unable to bind'); retrying");
            return;
        }

        if (BindProbe.Check(endpoint.Address, endpoint.Port) is { } reason)
        {
            Fail(tracked, reason);
            return;
        }

        tracked.Failure = null;
        tracked.HandedAt = bound is null ? DateTimeOffset.MaxValue : now;
    }

    private void Fail(Tracked tracked, string reason)
    {
        if (!tracked.WasFailed || tracked.Failure != reason)
        {
            Log.EndpointFailed(_logger, tracked.Endpoint.Url, tracked.Endpoint.Owners, reason);
        }

        tracked.Failure = reason;
        tracked.WasFailed = true;
    }

    private static ListenerEndpointState StateOf(Tracked tracked, HashSet<(IPAddress?, int)>? bound) =>
        tracked.HandedAt is null ? ListenerEndpointState.Failed
        : bound is null || IsBound(tracked.Endpoint, bound) ? ListenerEndpointState.Open
        : ListenerEndpointState.Opening;

    private List<ListenerEndpoint> Describe(IReadOnlyList<ListenerPlan> listeners)
    {
        var result = new List<ListenerEndpoint>();
        if (_options.Admin.Enabled)
        {
            result.Add(new ListenerEndpoint("higress-admin", _options.Admin.BindAddress, _options.Admin.Port, "http", null, EquatableArray<ListenerPlan>.Empty));
        }

        foreach (var group in listeners.GroupBy(l => (Address: l.Address ?? _options.BindAddress, l.Port)).OrderBy(g => g.Key.Port))
        {
            var (address, port) = group.Key;
            var protocol = group.First().Protocol;
            result.Add(new ListenerEndpoint(
                $"higress-{address.Replace(':', '_').Replace('.', '_')}-{port.ToString(CultureInfo.InvariantCulture)}",
                address,
                port,
                protocol == ListenerProtocol.Https ? "https" : "http",
                protocol switch
                {
                    ListenerProtocol.Http2 or ListenerProtocol.Grpc => "Http2",
                    ListenerProtocol.Https => Http3Support.HttpsProtocols(_options.Http3 && !Http3Support.RequiresClientCertificates(group)),

                    // TCP and TLS passthrough: the stream connection middleware takes every connection first.
                    _ => "Http1",
                },
                group.ToEquatableArray()));
        }

        return result;
    }

    /// <summary>What Kestrel reports bound, or null when the server has not started (or is not Kestrel).</summary>
    private HashSet<(IPAddress?, int)>? KestrelAddresses()
    {
        var lifetime = _services.GetService<IHostApplicationLifetime>();
        if (lifetime is null || !lifetime.ApplicationStarted.IsCancellationRequested
            || _services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>() is not { } feature)
        {
            return null;
        }

        // Kestrel adds to this collection while it binds; its enumerator copies under the collection's lock, whereas
        // ToArray reads Count and then copies, which throws when a bind lands in between.
        var result = new HashSet<(IPAddress?, int)>();
        foreach (var address in feature.Addresses)
        {
            if (Uri.TryCreate(address, UriKind.Absolute, out var uri))
            {
                result.Add((IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) ? ip : null, uri.Port));
            }
        }

        return result;
    }

    private static bool IsBound(ListenerEndpoint endpoint, HashSet<(IPAddress?, int)>? bound) =>
        bound is not null && (bound.Contains((BindProbe.ToIPAddress(endpoint.Address), endpoint.Port)) || bound.Contains((null, endpoint.Port)));

    private sealed class Tracked(ListenerEndpoint endpoint)
    {
        public ListenerEndpoint Endpoint { get; set; } = endpoint;

        /// <summary>When the endpoint was put into Kestrel's configuration; null while it is left out.</summary>
        public DateTimeOffset? HandedAt { get; set; }

        public string? Failure { get; set; }

        /// <summary>Failed since it was last open: the failure has been logged, and the recovery will be.</summary>
        public bool WasFailed { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.ListenersChanged, Level = LogLevel.Information, Message = "Listening on {Endpoints}")]
        public static partial void ListenersChanged(ILogger logger, string endpoints);

        [LoggerMessage(EventId = EventIds.EndpointFailed, Level = LogLevel.Error, Message = "Cannot open {Url} for {Owners}: {Reason}. The other endpoints keep serving; retrying every few seconds")]
        public static partial void EndpointFailed(ILogger logger, string url, string owners, string reason);

        [LoggerMessage(EventId = EventIds.EndpointRecovered, Level = LogLevel.Information, Message = "{Url} for {Owners} is open again")]
        public static partial void EndpointRecovered(ILogger logger, string url, string owners);

        [LoggerMessage(EventId = EventIds.Http3Unsupported, Level = LogLevel.Warning, Message = "HTTPS listeners serve HTTP/1.1 and HTTP/2 only, without HTTP/3: {Reason}")]
        public static partial void Http3Unsupported(ILogger logger, string reason);
    }
}
