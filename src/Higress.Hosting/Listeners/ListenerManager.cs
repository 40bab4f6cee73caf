using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Higress.Core.Plan;
using Higress.Core.Resources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Higress.Hosting.Listeners;

/// <summary>
/// Opens and closes Kestrel endpoints as Gateways change, through Kestrel's own configuration reload: Higress owns an
/// in-memory configuration of <c>Endpoints</c> (one per listener port, plus the admin port), layered over the host's
/// <c>Kestrel</c> section and <c>urls</c> so that the host's own endpoints stay open.
/// </summary>
internal sealed partial class ListenerManager
{
    private readonly HigressOptions _options;
    private readonly ILogger<ListenerManager> _logger;
    private readonly ListenerConfigurationProvider _provider = new();
    private readonly Lock _lock = new();
    private IReadOnlyList<(string Host, int Port)> _desired = [];
    private IReadOnlyList<(string Host, int Port)>? _verified;

    public ListenerManager(IOptions<HigressOptions> options, IConfiguration hostConfiguration, TlsCertificateStore certificates, ILogger<ListenerManager> logger)
    {
        _options = options.Value;
        Certificates = certificates;
        _logger = logger;
        var builder = new ConfigurationBuilder().AddConfiguration(hostConfiguration.GetSection("Kestrel"));
        builder.Add(new ListenerConfigurationSource(_provider));
        Configuration = builder.Build();
        HostUrls = (hostConfiguration["urls"] ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Set([]);
    }

    /// <summary>The certificates HTTPS listeners serve.</summary>
    public TlsCertificateStore Certificates { get; }

    /// <summary>The configuration Kestrel loads its endpoints from (reloaded on change).</summary>
    public IConfiguration Configuration { get; }

    private string[] HostUrls { get; }

    /// <summary>Opens the ports of <paramref name="listeners"/> and closes the others.</summary>
    public void Update(EquatableArray<ListenerPlan> listeners)
    {
        var open = _options.OpenListeners ? listeners.Where(l => l.IsHttp).ToList() : [];

        // Certificates first, so that a new HTTPS endpoint has them when it opens.
        Certificates.Update(open);
        Set(open);
    }

    /// <summary>True when every listener port (and the admin port) accepts TCP connections.</summary>
    public bool AreOpen()
    {
        IReadOnlyList<(string Host, int Port)> desired;
        lock (_lock)
        {
            desired = _desired;
            if (ReferenceEquals(_verified, desired))
            {
                return true;
            }
        }

        foreach (var (host, port) in desired)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(ProbeAddress(host), port);
            }
            catch (SocketException)
            {
                return false;
            }
        }

        lock (_lock)
        {
            if (ReferenceEquals(_desired, desired))
            {
                _verified = desired;
            }
        }

        return true;
    }

    private void Set(IReadOnlyList<ListenerPlan> listeners)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var desired = new List<(string, int)>();
        for (var i = 0; i < HostUrls.Length; i++)
        {
            data[$"Endpoints:host-url-{i}:Url"] = HostUrls[i];
        }

        if (_options.Admin.Enabled)
        {
            data["Endpoints:higress-admin:Url"] = Url(_options.Admin.BindAddress, _options.Admin.Port);
            desired.Add((_options.Admin.BindAddress, _options.Admin.Port));
        }

        foreach (var group in listeners.GroupBy(l => (Address: l.Address ?? _options.BindAddress, l.Port)).OrderBy(g => g.Key.Port))
        {
            var (address, port) = group.Key;
            var name = $"higress-{address.Replace(':', '_').Replace('.', '_')}-{port}";
            var protocol = group.First().Protocol;
            data[$"Endpoints:{name}:Url"] = Url(address, port, protocol == ListenerProtocol.Https ? "https" : "http");
            data[$"Endpoints:{name}:Protocols"] = protocol switch
            {
                ListenerProtocol.Http2 or ListenerProtocol.Grpc => "Http2",
                ListenerProtocol.Https => "Http1AndHttp2",
                _ => "Http1",
            };
            desired.Add((address, port));
        }

        lock (_lock)
        {
            _desired = desired;
        }

        if (_provider.Replace(data))
        {
            Log.ListenersChanged(_logger, string.Join(", ", desired.Select(d => $"{d.Item1}:{d.Item2}")));
        }
    }

    private static string Url(string address, int port, string scheme = "http")
    {
        var host = address.Contains(':', StringComparison.Ordinal) && !address.StartsWith('[') ? $"[{address}]" : address;
        return $"{scheme}://{host}:{port.ToString(CultureInfo.InvariantCulture)}";
    }

    private static IPAddress ProbeAddress(string host)
    {
        if (!IPAddress.TryParse(host.Trim('[', ']'), out var address))
        {
            return IPAddress.Loopback;
        }

        if (address.Equals(IPAddress.Any))
        {
            return IPAddress.Loopback;
        }

        return address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : address;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Listening on {Endpoints}")]
        public static partial void ListenersChanged(ILogger logger, string endpoints);
    }
}
