using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Higress.Hosting.Tests.Plugins.ClusterKeyRateLimit;

/// <summary>
/// A real <c>redis-server</c> (Debian's package; CI installs it) on a free loopback port, without persistence. It can
/// be killed and started again on the same port, as an outage and its end.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private Process? _process;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    /// <summary>A ServiceEntry <c>redis.static</c> whose static endpoint is this server, as a Higress user points at a Redis.</summary>
    public string ServiceEntry => string.Create(CultureInfo.InvariantCulture, $$$"""
        apiVersion: networking.higress.io/v1alpha1
        kind: ServiceEntry
        metadata: {name: redis}
        spec:
          hosts: [redis.static]
          ports: [{number: 6379, name: redis, protocol: TCP}]
          resolution: STATIC
          endpoints: [{address: 127.0.0.1, ports: {redis: {{{Port}}}}}]
        """);

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(TestPorts.Next());
        await server.RestartAsync();
        return server;
    }

    /// <summary>Starts the server (again) on its port and waits until it answers PING.</summary>
    public async Task RestartAsync()
    {
        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server is not on the PATH: install it (Debian: apt-get install redis-server; .ci/run does)", e);
        }

        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (await PingAsync())
            {
                return;
            }

            await Task.Delay(25);
        }

        throw new InvalidOperationException($"redis-server on port {Port} did not answer PING in 5 s");
    }

    /// <summary>Kills the server at once (SIGKILL): connections drop, nothing is saved.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync() => await KillAsync();

    private async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(2));
            return read > 0 && buffer[0] == (byte)'+';
        }
        catch (Exception ex) when (ex is SocketException or IOException or TimeoutException)
        {
            return false;
        }
    }
}
