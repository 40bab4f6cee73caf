using System.Globalization;
using System.Text;
using Higress.EndToEnd.Tests.Infrastructure;

namespace Higress.EndToEnd.Tests.Plugins;

/// <summary>
/// A gateway with one listener and one route per host, each to its own recording <see cref="EchoBackend"/>, plus the
/// plugin objects a test class supplies: the access-control plugins' tests assert what the client got and what each
/// backend did or did not receive.
/// </summary>
public sealed class AccessPluginWorld : IAsyncDisposable
{
    private readonly Dictionary<string, EchoBackend> _backends;
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };

    private AccessPluginWorld(GatewayHost gateway, int port, Dictionary<string, EchoBackend> backends)
    {
        Gateway = gateway;
        Port = port;
        _backends = backends;
    }

    /// <summary>The gateway.</summary>
    public GatewayHost Gateway { get; }

    /// <summary>The listener's port.</summary>
    public int Port { get; }

    /// <summary>Starts the world: a route named after each host (<c>a.test</c> → Route <c>default/a</c>), and <paramref name="plugins"/> (YAML).</summary>
    public static async Task<AccessPluginWorld> StartAsync(IReadOnlyList<string> hosts, string plugins)
    {
        var port = FreePorts.Next();
        var backends = new Dictionary<string, EchoBackend>(StringComparer.Ordinal);
        var yaml = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $$"""
            apiVersion: networking.higress.io/v1alpha1
            kind: Gateway
            metadata: {name: gw}
            spec:
              listeners:
              - protocol: HTTP
                port: {{port}}

            """));
        foreach (var host in hosts)
        {
            var name = RouteName(host);
            var backend = await EchoBackend.StartAsync("default", name);
            backends[host] = backend;
            yaml.Append(string.Create(CultureInfo.InvariantCulture, $$"""
                ---
                apiVersion: networking.higress.io/v1alpha1
                kind: Route
                metadata: {name: {{name}}}
                spec:
                  gateways: [gw]
                  hosts: [{{host}}]
                  http:
                  - route:
                    - destination: {host: {{name}}, port: 8080}

                """)).Append(ConformanceWorld.ServiceYaml("default", name, backend.Port)).Append('\n');
        }

        var gateway = await GatewayHost.StartAsync(new Dictionary<string, string>
        {
            ["00-world.yaml"] = yaml.ToString(),
            ["10-plugins.yaml"] = plugins,
        });
        return new AccessPluginWorld(gateway, port, backends);
    }

    /// <summary>The route (and backend) name for <paramref name="host"/>.</summary>
    public static string RouteName(string host) => host.Split('.')[0];

    /// <summary>What the backend behind <paramref name="host"/> received.</summary>
    public IReadOnlyCollection<ReceivedRequest> Received(string host) => _backends[host].Received;

    /// <summary>Sends a request with optional headers and body; returns the status and the body.</summary>
    public async Task<(int Status, string Body, string? ContentType)> SendAsync(string host, string pathAndQuery, IEnumerable<KeyValuePair<string, string>>? headers = null, string? body = null)
    {
        using var request = new HttpRequestMessage(body is null ? HttpMethod.Get : HttpMethod.Post, new Uri($"http://127.0.0.1:{Port}{pathAndQuery}"));
        request.Headers.Host = host;
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "text/plain");
        }

        using var response = await _http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>The error lines of <c>/config_dump</c>.</summary>
    public async Task<IReadOnlyList<string>> ErrorsAsync()
    {
        var dump = await Gateway.Client.ConfigDumpAsync();
        return [.. dump["errors"]!.AsArray().Select(e => (string)e!)];
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Gateway.DisposeAsync();
        foreach (var backend in _backends.Values)
        {
            await backend.DisposeAsync();
        }
    }
}

/// <summary>One <see cref="AccessPluginWorld"/> for a test class: its hosts and plugin objects.</summary>
public abstract class AccessPluginFixture : IAsyncLifetime
{
    /// <summary>The world.</summary>
    public AccessPluginWorld World { get; private set; } = null!;

    /// <summary>The hosts, one route and backend each.</summary>
    protected abstract IReadOnlyList<string> Hosts { get; }

    /// <summary>The plugin objects (YAML).</summary>
    protected abstract string Plugins { get; }

    /// <inheritdoc/>
    public async Task InitializeAsync() => World = await AccessPluginWorld.StartAsync(Hosts, Plugins);

    /// <inheritdoc/>
    public async Task DisposeAsync() => await World.DisposeAsync();
}
