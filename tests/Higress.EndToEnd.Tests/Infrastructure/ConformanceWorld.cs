using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Higress.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The conformance suite's base world on loopback: namespaces <c>gateway-conformance-infra</c>,
/// <c>gateway-conformance-web-backend</c> and <c>gateway-conformance-app-backend</c>; Services infra-backend-v1/v2/v3,
/// web-backend, app-backend-v1/v2 (port 8080) whose EndpointSlices point at real <see cref="EchoBackend"/>s; and the
/// Gateways <c>same-namespace</c>, <c>all-namespaces</c> and <c>backend-namespaces</c>, each on its own free port.
/// A scenario's YAML may say <c>PORT(NAME)</c> to get a free port for NAME (the same number every time).
/// </summary>
public sealed partial class ConformanceWorld : IAsyncDisposable
{
    public const string Infra = "gateway-conformance-infra";
    public const string WebBackend = "gateway-conformance-web-backend";
    public const string AppBackend = "gateway-conformance-app-backend";

    private readonly Dictionary<string, int> _ports = [];
    private readonly Dictionary<string, EchoBackend> _backends = [];

    private ConformanceWorld()
    {
    }

    /// <summary>The running gateway.</summary>
    public GatewayHost Gateway { get; private set; } = null!;

    /// <summary>The backends, by pod name.</summary>
    public IReadOnlyDictionary<string, EchoBackend> Backends => _backends;

    /// <summary>Starts the backends and a gateway serving the base world plus <paramref name="scenario"/>.</summary>
    public static async Task<ConformanceWorld> StartAsync(string scenario, IReadOnlyDictionary<string, string>? extraFiles = null)
    {
        var world = new ConformanceWorld();
        foreach (var (ns, pod) in new[]
        {
            (Infra, "infra-backend-v1"), (Infra, "infra-backend-v2"), (Infra, "infra-backend-v3"),
            (WebBackend, "web-backend"), (AppBackend, "app-backend-v1"), (AppBackend, "app-backend-v2"),
        })
        {
            world._backends[pod] = await EchoBackend.StartAsync(ns, pod);
        }

        var files = new Dictionary<string, string>
        {
            ["00-base.yaml"] = world.Expand(world.BaseYaml()),
            ["10-scenario.yaml"] = world.Expand(scenario),
        };
        foreach (var (name, yaml) in extraFiles ?? new Dictionary<string, string>())
        {
            files[name] = world.Expand(yaml);
        }

        world.Gateway = await GatewayHost.StartAsync(files);
        return world;
    }

    /// <summary>The free port allocated to <paramref name="name"/>.</summary>
    public int Port(string name)
    {
        lock (_ports)
        {
            if (!_ports.TryGetValue(name, out var port))
            {
                _ports[name] = port = FreePorts.Next();
            }

            return port;
        }
    }

    /// <summary>Replaces <c>PORT(NAME)</c> tokens.</summary>
    public string Expand(string yaml) => PortToken().Replace(yaml, m => Port(m.Groups[1].Value).ToString(CultureInfo.InvariantCulture));

    /// <summary>Sends a request to the listener port of <paramref name="portName"/>.</summary>
    public Task<GatewayResponse> SendAsync(string portName, string host, string pathAndQuery, HttpMethod? method = null, IEnumerable<KeyValuePair<string, string>>? headers = null)
        => Gateway.SendAsync(Port(portName), host, pathAndQuery, method, headers);

    /// <summary>Sends a request and asserts it reached backend <paramref name="pod"/> with status 200, returning what the backend saw.</summary>
    public async Task<EchoResponse> ExpectBackendAsync(string portName, string host, string pathAndQuery, string pod, HttpMethod? method = null, IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        var response = await SendAsync(portName, host, pathAndQuery, method, headers);
        Assert.True(response.Code == 200, $"{method ?? HttpMethod.Get} {host}{pathAndQuery}: expected 200 from {pod}, got {response}");
        var echo = response.Echo;
        Assert.True(echo.Pod == pod, $"{method ?? HttpMethod.Get} {host}{pathAndQuery}: expected backend {pod}, reached {echo.Pod}");
        Assert.Equal(_backends[pod].Namespace, echo.Namespace);
        return echo;
    }

    /// <summary>Sends a request and asserts the status code (and that no backend answered for codes other than 200).</summary>
    public async Task<GatewayResponse> ExpectStatusAsync(string portName, string host, string pathAndQuery, int status, HttpMethod? method = null, IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        var response = await SendAsync(portName, host, pathAndQuery, method, headers);
        Assert.True(response.Code == status, $"{method ?? HttpMethod.Get} {host}{pathAndQuery}: expected {status}, got {response}");
        return response;
    }

    /// <summary>The base manifests (namespaces, services, endpoint slices, gateways).</summary>
    public string BaseYaml()
    {
        var yaml = new StringBuilder();
        yaml.Append($$"""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: {{Infra}}
              labels: {gateway-conformance: infra}
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              name: {{WebBackend}}
              labels: {gateway-conformance: backend}
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              name: {{AppBackend}}
              labels: {gateway-conformance: backend}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: same-namespace
              namespace: {{Infra}}
            spec:
              gatewayClassName: higress
              listeners:
              - name: http
                port: PORT(same-namespace)
                protocol: HTTP
                allowedRoutes:
                  namespaces:
                    from: Same
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: all-namespaces
              namespace: {{Infra}}
            spec:
              gatewayClassName: higress
              listeners:
              - name: http
                port: PORT(all-namespaces)
                protocol: HTTP
                allowedRoutes:
                  namespaces:
                    from: All
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: backend-namespaces
              namespace: {{Infra}}
            spec:
              gatewayClassName: higress
              listeners:
              - name: http
                port: PORT(backend-namespaces)
                protocol: HTTP
                allowedRoutes:
                  namespaces:
                    from: Selector
                    selector:
                      matchLabels:
                        gateway-conformance: backend

            """);
        foreach (var backend in _backends.Values)
        {
            yaml.Append(ServiceYaml(backend.Namespace, backend.Pod, backend.Port));
        }

        return yaml.ToString();
    }

    /// <summary>The Gateway <c>same-namespace</c> with one HTTP listener on <paramref name="port"/>.</summary>
    public static string SingleListenerGatewayYaml(int port, string listener = "http") => string.Create(CultureInfo.InvariantCulture, $"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: same-namespace
          namespace: {Infra}
        spec:
          gatewayClassName: higress
          listeners:
          - name: {listener}
            port: {port}
            protocol: HTTP
        """);

    /// <summary>The HTTPRoute <c>app</c> on <c>same-namespace</c>: every request to <paramref name="backend"/>:8080.</summary>
    public static string CatchAllRouteYaml(string backend) => $"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: app
          namespace: {Infra}
        spec:
          parentRefs:
          - name: same-namespace
          rules:
          - backendRefs:
            - name: {backend}
              port: 8080
        """;

    /// <summary>A Service (port 8080) with an EndpointSlice pointing at 127.0.0.1:<paramref name="port"/>.</summary>
    public static string ServiceYaml(string ns, string name, int port, int servicePort = 8080) => string.Create(CultureInfo.InvariantCulture, $"""
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: {name}
          namespace: {ns}
        spec:
          selector:
            app: {name}
          ports:
          - protocol: TCP
            port: {servicePort}
            targetPort: {port}
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: {name}-slice
          namespace: {ns}
          labels:
            kubernetes.io/service-name: {name}
        addressType: IPv4
        ports:
        - protocol: TCP
          port: {port}
        endpoints:
        - addresses: ["127.0.0.1"]
          conditions:
            ready: true

        """);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        foreach (var backend in _backends.Values)
        {
            await backend.DisposeAsync();
        }
    }

    [GeneratedRegex(@"PORT\(([A-Za-z0-9_.-]+)\)")]
    private static partial Regex PortToken();
}

/// <summary>
/// A class fixture that starts one <see cref="ConformanceWorld"/> for a scenario, once per test class.
/// </summary>
public abstract class WorldFixture : IAsyncLifetime
{
    /// <summary>The running world.</summary>
    public ConformanceWorld World { get; private set; } = null!;

    /// <summary>The scenario's manifests (HTTPRoutes, extra Gateways, ReferenceGrants...).</summary>
    protected abstract string Scenario { get; }

    /// <summary>More files to write, by name.</summary>
    protected virtual IReadOnlyDictionary<string, string>? ExtraFiles => null;

    /// <inheritdoc/>
    public async Task InitializeAsync() => World = await ConformanceWorld.StartAsync(Scenario, ExtraFiles);

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (World is not null)
        {
            await World.DisposeAsync();
        }
    }
}
