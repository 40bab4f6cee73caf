using System.Globalization;
using Higress.EndToEnd.Tests.Infrastructure;

namespace Higress.EndToEnd.Tests.Security;

/// <summary>
/// A gateway for the authentication tests: one native Gateway (routes of every namespace may attach) with the Routes
/// <c>default/route-a</c> (<c>/a</c>), <c>default/route-b</c> (<c>/b</c>, host <c>test.com</c>), <c>default/open</c>
/// (<c>/open</c>) and <c>other/plain</c> (<c>/plain</c>, no plugins), all to one recording echo backend, plus the
/// plugin objects a test gives.
/// </summary>
public sealed class AuthWorld : IAsyncDisposable
{
    private AuthWorld(EchoBackend backend, GatewayHost gateway, int port)
    {
        Backend = backend;
        Gateway = gateway;
        Port = port;
    }

    public EchoBackend Backend { get; }

    public GatewayHost Gateway { get; }

    public int Port { get; }

    public static async Task<AuthWorld> StartAsync(string pluginsYaml, string? secretsYaml = null)
    {
        var backend = await EchoBackend.StartAsync("default", "echo");
        var port = FreePorts.Next();
        var world = string.Create(CultureInfo.InvariantCulture, $$$"""
            apiVersion: networking.higress.io/v1alpha1
            kind: Gateway
            metadata: {name: gw, namespace: default}
            spec:
              listeners:
              - protocol: HTTP
                port: {{{port}}}
                allowedRoutes: {namespaces: {from: All}}
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: route-a, namespace: default}
            spec:
              gateways: [default/gw]
              http:
              - match: [{uri: {prefix: /a}}]
                route: [{destination: {host: echo, port: 80}}]
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: route-b, namespace: default}
            spec:
              gateways: [default/gw]
              hosts: [test.com]
              http:
              - match: [{uri: {prefix: /b}}]
                route: [{destination: {host: echo, port: 80}}]
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: open, namespace: default}
            spec:
              gateways: [default/gw]
              http:
              - match: [{uri: {prefix: /open}}]
                route: [{destination: {host: echo, port: 80}}]
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: plain, namespace: other}
            spec:
              gateways: [default/gw]
              http:
              - match: [{uri: {prefix: /plain}}]
                route: [{destination: {host: echo, port: 80}}]
            """);
        var files = new Dictionary<string, string>
        {
            ["world.yaml"] = world,
            ["echo.yaml"] = ConformanceWorld.ServiceYaml("default", "echo", backend.Port, servicePort: 80) + ConformanceWorld.ServiceYaml("other", "echo", backend.Port, servicePort: 80),
            ["plugins.yaml"] = pluginsYaml,
        };
        if (secretsYaml is not null)
        {
            files["secrets.yaml"] = secretsYaml;
        }

        var gateway = await GatewayHost.StartAsync(files);
        return new AuthWorld(backend, gateway, port);
    }

    /// <summary>Sends a GET with a unique marker query parameter, so that <see cref="Forwarded"/> can tell whether it reached the backend.</summary>
    public async Task<(GatewayResponse Response, ReceivedRequest? Forwarded)> SendAsync(string path, string host = "www.example.com", params (string Name, string Value)[] headers)
    {
        var marker = Guid.NewGuid().ToString("N");
        var target = path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "marker=" + marker;
        var response = await Gateway.SendAsync(Port, host, target, headers: headers.Select(h => KeyValuePair.Create(h.Name, h.Value)));
        return (response, Forwarded(marker));
    }

    /// <summary>The request the backend received with <paramref name="marker"/> in its target, or null.</summary>
    public ReceivedRequest? Forwarded(string marker) => Backend.Received.SingleOrDefault(r => r.RawTarget.Contains(marker, StringComparison.Ordinal));

    /// <summary>The configuration errors <c>/config_dump</c> lists.</summary>
    public async Task<List<string>> ErrorsAsync() =>
        (await Gateway.Client.ConfigDumpAsync())["errors"]!.AsArray().Select(e => (string)e!).ToList();

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Backend.DisposeAsync();
    }
}
