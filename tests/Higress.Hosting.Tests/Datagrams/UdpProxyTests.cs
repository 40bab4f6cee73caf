using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Higress.Hosting.Datagrams;
using Higress.Hosting.Listeners;
using Higress.Hosting.Runtime;
using Higress.Hosting.Sources;
using Higress.Hosting.Tests.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace Higress.Hosting.Tests.Datagrams;

public sealed class UdpProxyTests
{
    private static readonly TimeSpan NoReply = TimeSpan.FromMilliseconds(400);

    [Fact]
    public async Task Ten_thousand_datagrams_come_back_through_the_listener_with_at_most_a_tenth_of_a_percent_lost()
    {
        using var echo = new UdpEcho();
        var port = LoopbackGateway.FreePort();
        await using var gateway = await LoopbackGateway.StartAsync(r => r.AddService("echo", 53, [$"127.0.0.1:{echo.Port}"]).AddYaml(Config(port, "{name: echo, port: 53}")));
        using var client = new UdpPeer();

        const int Total = 10_000;
        const int Window = 32;
        var back = new bool[Total];
        var (sent, received, inFlight) = (0, 0, 0);
        var payload = new byte[256];
        while (sent < Total || inFlight > 0)
        {
            while (sent < Total && inFlight < Window)
            {
                BinaryPrimitives.WriteInt32LittleEndian(payload, sent++);
                await client.SendAsync(payload, port);
                inFlight++;
            }

            if (await client.ReceiveAsync(TimeSpan.FromSeconds(2)) is not { } reply)
            {
                inFlight = 0; // the rest of the window is lost; bounded by Total sends
                continue;
            }

            Assert.Equal(port, reply.From.Port);
            Assert.Equal(IPAddress.Loopback, reply.From.Address);
            var sequence = BinaryPrimitives.ReadInt32LittleEndian(reply.Data);
            Assert.Equal(payload.Length, reply.Data.Length);
            if (!back[sequence])
            {
                back[sequence] = true;
                received++;
            }

            inFlight--;
        }

        Assert.True(Total - received <= Total / 1000, $"{Total - received} of {Total} datagrams lost");
        Assert.Single(echo.Sources);
    }

    [Fact]
    public async Task An_idle_session_expires_and_the_next_datagram_opens_a_new_upstream_socket()
    {
        using var echo = new UdpEcho();
        var port = LoopbackGateway.FreePort();
        await using var gateway = await LoopbackGateway.StartAsync(
            r => r.AddService("echo", 53, [$"127.0.0.1:{echo.Port}"]).AddYaml(Config(port, "{name: echo, port: 53}")),
            new Dictionary<string, string?> { ["Higress:Udp:IdleTimeout"] = "200ms" });
        var listener = gateway.Services.GetRequiredService<DatagramProxy>().Find(port)!;
        using var client = new UdpPeer();

        Assert.NotNull(await client.ExchangeAsync("one", port));
        var first = Assert.Single(echo.Sources).Key;
        await WaitAsync(() => listener.SessionCount == 0);

        Assert.NotNull(await client.ExchangeAsync("two", port));
        Assert.Equal(2, echo.Sources.Count);
        Assert.Contains(echo.Sources.Keys, p => p != first);
    }

    [Fact]
    public async Task Clients_beyond_the_session_limit_are_dropped()
    {
        using var echo = new UdpEcho();
        var port = LoopbackGateway.FreePort();
        await using var gateway = await LoopbackGateway.StartAsync(
            r => r.AddService("echo", 53, [$"127.0.0.1:{echo.Port}"]).AddYaml(Config(port, "{name: echo, port: 53}")),
            new Dictionary<string, string?> { ["Higress:Udp:MaxSessions"] = "2" });
        using var a = new UdpPeer();
        using var b = new UdpPeer();
        using var c = new UdpPeer();

        Assert.NotNull(await a.ExchangeAsync("a", port));
        Assert.NotNull(await b.ExchangeAsync("b", port));
        Assert.Null(await c.ExchangeAsync("c", port, NoReply));
        Assert.NotNull(await a.ExchangeAsync("a again", port));
        Assert.Equal(2, echo.Sources.Count);
        Assert.Equal(2, gateway.Services.GetRequiredService<DatagramProxy>().Find(port)!.SessionCount);
    }

    [Fact]
    public async Task A_client_over_its_datagram_rate_is_dropped_beyond_its_burst()
    {
        using var echo = new UdpEcho();
        var port = LoopbackGateway.FreePort();
        await using var gateway = await LoopbackGateway.StartAsync(
            r => r.AddService("echo", 53, [$"127.0.0.1:{echo.Port}"]).AddYaml(Config(port, "{name: echo, port: 53}")),
            new Dictionary<string, string?> { ["Higress:Udp:DatagramsPerSecond"] = "0.001", ["Higress:Udp:DatagramBurst"] = "3" });
        using var client = new UdpPeer();

        for (var i = 0; i < 10; i++)
        {
            await client.SendAsync([(byte)i], port);
        }

        // The first reply may take a while on a busy machine (a new session, a first send); after it, silence means none.
        var replies = 0;
        while (await client.ReceiveAsync(replies == 0 ? TimeSpan.FromSeconds(5) : NoReply) is not null && replies < 10)
        {
            replies++;
        }

        Assert.Equal(3, replies);
        Assert.Equal(3, echo.Received);
    }

    [Fact]
    public async Task Sessions_share_weighted_backends_by_weight_and_weight_zero_gets_none()
    {
        using var heavy = new UdpEcho();
        using var light = new UdpEcho();
        using var none = new UdpEcho();
        var port = LoopbackGateway.FreePort();
        await using var gateway = await LoopbackGateway.StartAsync(r => r
            .AddService("heavy", 53, [$"127.0.0.1:{heavy.Port}"])
            .AddService("light", 53, [$"127.0.0.1:{light.Port}"])
            .AddService("none", 53, [$"127.0.0.1:{none.Port}"])
            .AddYaml(Config(port, "{name: heavy, port: 53, weight: 3}, {name: light, port: 53, weight: 1}, {name: none, port: 53, weight: 0}")));

        // Every client stays open to the end: a closed one's port could come back as a later client, the same session.
        const int Sessions = 100;
        var clients = Enumerable.Range(0, Sessions).Select(_ => new UdpPeer()).ToList();
        foreach (var client in clients)
        {
            Assert.NotNull(await client.ExchangeAsync("hello", port));
        }

        clients.ForEach(c => c.Dispose());

        Assert.Equal(Sessions, heavy.Sources.Count + light.Sources.Count);
        Assert.InRange(light.Sources.Count, 1, heavy.Sources.Count - 1);
        Assert.Equal(0, none.Received);
    }

    [Fact]
    public async Task A_changed_route_applies_without_a_restart_and_moves_open_sessions_off_a_removed_backend()
    {
        using var first = new UdpEcho();
        using var second = new UdpEcho();
        var port = LoopbackGateway.FreePort();
        void Services(ResourceBuilder r) => r.AddService("first", 53, [$"127.0.0.1:{first.Port}"]).AddService("second", 53, [$"127.0.0.1:{second.Port}"]);
        using var source = new CodeResourceSource(r => Services(r.AddYaml(Config(port, "{name: first, port: 53}"))));
        await using var gateway = await LoopbackGateway.StartAsync(_ => { }, higress: h => h.Services.AddSingleton<Core.Resources.Sources.IResourceSource>(source));
        using var client = new UdpPeer();
        Assert.NotNull(await client.ExchangeAsync("before", port));

        source.Update(r => Services(r.AddYaml(Config(port, "{name: second, port: 53}"))));
        gateway.Services.GetRequiredService<HigressConfigurationLoop>().Rebuild();

        Assert.NotNull(await client.ExchangeAsync("after", port));
        Assert.Equal(1, first.Received);
        Assert.Equal(1, second.Received);
    }

    [Fact]
    public async Task A_port_that_cannot_be_bound_is_reported_and_opens_once_freed()
    {
        using var echo = new UdpEcho();
        var holder = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)holder.LocalEndPoint!).Port;
        await using var gateway = await LoopbackGateway.StartAsync(r => r.AddService("echo", 53, [$"127.0.0.1:{echo.Port}"]).AddYaml(Config(port, "{name: echo, port: 53}")));
        var listeners = gateway.Services.GetRequiredService<ListenerManager>();

        var failed = Assert.Single(listeners.Endpoints(), e => e.Endpoint.Scheme == "udp");
        Assert.Equal(ListenerEndpointState.Failed, failed.State);
        Assert.Contains("address in use", failed.Reason, StringComparison.Ordinal);
        Assert.Equal($"udp://127.0.0.1:{port}", failed.Endpoint.Url);

        holder.Dispose();
        await WaitAsync(() => listeners.Endpoints().Single(e => e.Endpoint.Scheme == "udp").State == ListenerEndpointState.Open);
        using var client = new UdpPeer();
        Assert.NotNull(await client.ExchangeAsync("hello", port));
    }

    /// <summary>A Gateway API Gateway <c>udp</c> with a UDP listener on <paramref name="port"/> and a UDPRoute to <paramref name="backendRefs"/>.</summary>
    internal static string Config(int port, string backendRefs) => string.Create(CultureInfo.InvariantCulture, $$"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: udp}
        spec:
          gatewayClassName: higress
          listeners: [{name: datagrams, protocol: UDP, port: {{port}}}]
        ---
        apiVersion: gateway.networking.k8s.io/v1alpha2
        kind: UDPRoute
        metadata: {name: echo}
        spec:
          parentRefs: [{name: udp}]
          rules: [{backendRefs: [{{backendRefs}}]}]
        """);

    private static async Task WaitAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25);
        }

        Assert.True(condition());
    }

    /// <summary>A client socket on 127.0.0.1 that sees where each reply comes from.</summary>
    private sealed class UdpPeer : IDisposable
    {
        private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        private readonly byte[] _buffer = new byte[65_535];

        public UdpPeer() => _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        public async Task SendAsync(byte[] payload, int port) =>
            await _socket.SendToAsync(payload, SocketFlags.None, new IPEndPoint(IPAddress.Loopback, port));

        public async Task<(byte[] Data, IPEndPoint From)?> ReceiveAsync(TimeSpan timeout)
        {
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                var result = await _socket.ReceiveFromAsync(_buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cancel.Token);
                return (_buffer[..result.ReceivedBytes], (IPEndPoint)result.RemoteEndPoint);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }

        /// <summary>Sends <paramref name="text"/> and returns the echoed text, or null when no reply comes in time.</summary>
        public async Task<string?> ExchangeAsync(string text, int port, TimeSpan? timeout = null)
        {
            await SendAsync(System.Text.Encoding.UTF8.GetBytes(text), port);
            var reply = await ReceiveAsync(timeout ?? TimeSpan.FromSeconds(5));
            return reply is { } r ? System.Text.Encoding.UTF8.GetString(r.Data) : null;
        }

        public void Dispose() => _socket.Dispose();
    }
}
