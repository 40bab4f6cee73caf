using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Higress.Hosting.Tests.Runtime;

namespace Higress.Hosting.Tests.Streams;

/// <summary>TCP and TLS-passthrough listeners forwarding real connections on 127.0.0.1.</summary>
public sealed class StreamProxyTests
{
    private static string TcpGateway(int port) => $$"""
        apiVersion: networking.higress.io/v1alpha1
        kind: Gateway
        metadata: {name: l4}
        spec:
          listeners: [{protocol: TCP, port: {{port}}}]
        ---

        """;

    private static string NativeTcpRoute(int backendPort, string match = "") => $$"""
        apiVersion: networking.higress.io/v1alpha1
        kind: Route
        metadata: {name: db}
        spec:
          gateways: [l4]
          tcp:
          - {{match}}
            route: [{destination: {host: echo, port: {{backendPort}} } }]
        """;

    [Fact]
    public async Task A_hundred_megabytes_cross_a_tcp_listener_intact_both_ways_with_a_half_close()
    {
        await using var backend = TcpBackend.Start();
        var port = TestPorts.Next();
        await using var gateway = await StartAsync(r => r.AddService("echo", backend.Port, ["127.0.0.1"]).AddYaml(TcpGateway(port) + NativeTcpRoute(backend.Port)), port);

        using var client = await TcpBackend.ConnectAsync(port);
        var received = TcpBackend.ReadToEndAsync(client);
        var sent = await TcpBackend.SendRandomAsync(client, 100, seed: 15);

        // The client's end of stream reaches the echo server, which half-closes in turn after echoing the rest: every
        // byte still comes back after the client stopped sending.
        client.Shutdown(SocketShutdown.Send);
        var (length, hash) = await received.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(100L * 1024 * 1024, length);
        Assert.Equal(sent, hash);
    }

    [Fact]
    public async Task The_backends_half_close_reaches_the_client_while_the_client_keeps_sending()
    {
        await using var backend = TcpBackend.Start(TcpBackend.Mode.GreetAndSink);
        var port = TestPorts.Next();
        await using var gateway = await StartAsync(r => r.AddService("echo", backend.Port, ["127.0.0.1"]).AddYaml(TcpGateway(port) + NativeTcpRoute(backend.Port)), port);

        using var client = await TcpBackend.ConnectAsync(port);
        var (greetingLength, _) = await TcpBackend.ReadToEndAsync(client).WaitAsync(TimeSpan.FromSeconds(30));
        var sent = await TcpBackend.SendRandomAsync(client, 10, seed: 7);
        client.Shutdown(SocketShutdown.Send);
        var (length, hash) = await backend.Sunk.Task.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(TcpBackend.Greeting.Length, greetingLength);
        Assert.Equal(10L * 1024 * 1024, length);
        Assert.Equal(sent, hash);
    }

    [Fact]
    public async Task A_source_outside_every_sourceSubnet_is_closed_without_contacting_a_backend()
    {
        await using var backend = TcpBackend.Start();
        var port = TestPorts.Next();
        await using var gateway = await StartAsync(r => r.AddService("echo", backend.Port, ["127.0.0.1"]).AddYaml(TcpGateway(port) + NativeTcpRoute(backend.Port, "match: [{sourceSubnet: 127.0.0.2/32}]")), port);

        using (var denied = await TcpBackend.ConnectAsync(port, IPAddress.Parse("127.0.0.1")))
        {
            Assert.False(await TcpBackend.EchoesAsync(denied));
        }

        Assert.Equal(0, backend.Accepted);
        using var allowed = await TcpBackend.ConnectAsync(port, IPAddress.Parse("127.0.0.2"));
        Assert.True(await TcpBackend.EchoesAsync(allowed));
        Assert.Equal(1, backend.Accepted);
    }

    [Fact]
    public async Task Two_weighted_backends_of_a_tcp_route_share_connections_by_weight()
    {
        await using var heavy = TcpBackend.Start();
        await using var light = TcpBackend.Start();
        var port = TestPorts.Next();
        await using var gateway = await StartAsync(
            r => r.AddService("heavy", heavy.Port, ["127.0.0.1"]).AddService("light", light.Port, ["127.0.0.1"]).AddYaml($$"""
                apiVersion: gateway.networking.k8s.io/v1
                kind: Gateway
                metadata: {name: api}
                spec:
                  gatewayClassName: higress
                  listeners: [{name: tcp, protocol: TCP, port: {{port}}}]
                ---
                apiVersion: gateway.networking.k8s.io/v1alpha2
                kind: TCPRoute
                metadata: {name: split}
                spec:
                  parentRefs: [{name: api}]
                  rules: [{backendRefs: [{name: heavy, port: {{heavy.Port}}, weight: 3}, {name: light, port: {{light.Port}}, weight: 1}]}]
                """),
            port);
        // The start-up probe's connection took one pick; once it has arrived, 40 more connections are 10 whole rounds.
        for (var wait = 0; heavy.Accepted + light.Accepted == 0 && wait < 200; wait++)
        {
            await Task.Delay(50);
        }

        var (heavyBefore, lightBefore) = (heavy.Accepted, light.Accepted);

        for (var i = 0; i < 40; i++)
        {
            using var client = await TcpBackend.ConnectAsync(port);
            Assert.True(await TcpBackend.EchoesAsync(client));
        }

        // Smooth weighted round-robin: every 4 consecutive connections go 3 to one, 1 to the other.
        Assert.Equal((30, 10), (heavy.Accepted - heavyBefore, light.Accepted - lightBefore));
    }

    [Fact]
    public async Task A_listener_at_its_connection_limit_closes_the_next_connection()
    {
        await using var backend = TcpBackend.Start();
        var port = TestPorts.Next();
        await using var gateway = await StartAsync(
            r => r.AddService("echo", backend.Port, ["127.0.0.1"]).AddYaml(TcpGateway(port) + NativeTcpRoute(backend.Port)),
            port,
            new Dictionary<string, string?> { ["Higress:Streams:MaxConnectionsPerListener"] = "1" });

        using var first = await OpenEchoAsync(port);

        using var second = await TcpBackend.ConnectAsync(port);
        Assert.False(await TcpBackend.EchoesAsync(second));
        Assert.True(await TcpBackend.EchoesAsync(first));
    }

    [Fact]
    public async Task An_idle_connection_is_closed_after_the_idle_timeout()
    {
        await using var backend = TcpBackend.Start();
        var port = TestPorts.Next();
        await using var gateway = await StartAsync(
            r => r.AddService("echo", backend.Port, ["127.0.0.1"]).AddYaml(TcpGateway(port) + NativeTcpRoute(backend.Port)),
            port,
            new Dictionary<string, string?> { ["Higress:Streams:IdleTimeout"] = "300ms" });

        using var client = await TcpBackend.ConnectAsync(port);
        var (length, _) = await TcpBackend.ReadToEndAsync(client).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, length);
    }

    [Theory]
    [InlineData("gateway-api")]
    [InlineData("native")]
    public async Task Two_sni_names_reach_two_tls_backends_and_the_client_sees_each_backends_certificate(string kind)
    {
        await using var a = TcpBackend.StartTls("a.example.com");
        await using var b = TcpBackend.StartTls("b.example.com");
        var port = TestPorts.Next();
        var routes = kind == "native" ? NativeTls(port, a.Port, b.Port) : GatewayApiTls(port, a.Port, b.Port);
        await using var gateway = await StartAsync(r => r.AddService("a", a.Port, ["127.0.0.1"]).AddService("b", b.Port, ["127.0.0.1"]).AddYaml(routes), port);

        Assert.Equal(a.Certificate!.Thumbprint, await TlsEchoAsync(port, "a.example.com"));
        Assert.Equal(b.Certificate!.Thumbprint, await TlsEchoAsync(port, "b.example.com"));
        Assert.Equal((1, 1), (a.Accepted, b.Accepted));
    }

    [Fact]
    public async Task A_tls_connection_whose_sni_matches_no_rule_is_closed_without_contacting_a_backend()
    {
        await using var a = TcpBackend.StartTls("a.example.com");
        await using var b = TcpBackend.StartTls("b.example.com");
        var port = TestPorts.Next();
        await using var gateway = await StartAsync(r => r.AddService("a", a.Port, ["127.0.0.1"]).AddService("b", b.Port, ["127.0.0.1"]).AddYaml(NativeTls(port, a.Port, b.Port)), port);

        await Assert.ThrowsAnyAsync<IOException>(() => TlsEchoAsync(port, "c.example.org"));
        Assert.Equal((0, 0), (a.Accepted, b.Accepted));
    }

    // A connection that has echoed one byte, so that it counts against the limit. The start-up probe's connection may
    // still hold the only slot for a moment: then the attempt is closed, and repeated (bounded).
    private static async Task<Socket> OpenEchoAsync(int port)
    {
        for (var attempt = 0; ; attempt++)
        {
            var socket = await TcpBackend.ConnectAsync(port);
            await socket.SendAsync("a"u8.ToArray(), SocketFlags.None);
            var buffer = new byte[1];
            if (await socket.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(30)) == 1)
            {
                return socket;
            }

            socket.Dispose();
            Assert.True(attempt < 50, "the listener kept refusing the first connection");
            await Task.Delay(50);
        }
    }

    private static string GatewayApiTls(int port, int a, int b) => $$"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: api}
        spec:
          gatewayClassName: higress
          listeners: [{name: tls, protocol: TLS, port: {{port}}, tls: {mode: Passthrough} }]
        ---
        apiVersion: gateway.networking.k8s.io/v1alpha2
        kind: TLSRoute
        metadata: {name: a}
        spec:
          parentRefs: [{name: api}]
          hostnames: [a.example.com]
          rules: [{backendRefs: [{name: a, port: {{a}} }]}]
        ---
        apiVersion: gateway.networking.k8s.io/v1alpha2
        kind: TLSRoute
        metadata: {name: b}
        spec:
          parentRefs: [{name: api}]
          hostnames: ["*.example.com"]
          rules: [{backendRefs: [{name: b, port: {{b}} }]}]
        """;

    private static string NativeTls(int port, int a, int b) => $$"""
        apiVersion: networking.higress.io/v1alpha1
        kind: Gateway
        metadata: {name: l4}
        spec:
          listeners: [{protocol: TLS, port: {{port}}, tls: {mode: Passthrough} }]
        ---
        apiVersion: networking.higress.io/v1alpha1
        kind: Route
        metadata: {name: sni}
        spec:
          gateways: [l4]
          tls:
          - match: [{sniHosts: ["*.example.com"]}]
            route: [{destination: {host: b, port: {{b}} } }]
          - match: [{sniHosts: [a.example.com]}]
            route: [{destination: {host: a, port: {{a}} } }]
        """;

    // A TLS handshake through the gateway with SNI serverName and one echo; returns the certificate the client saw.
    private static async Task<string> TlsEchoAsync(int port, string serverName)
    {
        using var socket = await TcpBackend.ConnectAsync(port);
        X509Certificate2? seen = null;
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false, (_, certificate, _, _) =>
        {
            seen = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return true;
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = serverName }, timeout.Token);
        await tls.WriteAsync("ping"u8.ToArray(), timeout.Token);
        var buffer = new byte[4];
        await tls.ReadExactlyAsync(buffer, timeout.Token);
        Assert.Equal("ping"u8.ToArray(), buffer);
        using (seen)
        {
            return seen!.Thumbprint;
        }
    }

    private static async Task<LoopbackGateway> StartAsync(Action<Higress.Hosting.Sources.ResourceBuilder> resources, int streamPort, Dictionary<string, string?>? settings = null)
    {
        var gateway = await LoopbackGateway.StartAsync(resources, settings);
        await TcpBackend.WaitListeningAsync(streamPort);
        return gateway;
    }
}
