using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Higress.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Finds loopback ports nobody listens on. They are picked below the OS's ephemeral range when it can be read, so
/// that the many client connections of a test run cannot take a port between its choice and the gateway binding it.
/// </summary>
internal static class FreePorts
{
    private static readonly HashSet<int> Handed = [];
    private static readonly Lock Gate = new();

    /// <summary>A port that is free now and was not handed out before in this process.</summary>
    public static int Next()
    {
        var (low, high) = Range();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(low, high);
            if (Claim(port) && IsFree(port))
            {
                return port;
            }
        }

        while (true)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
            if (Claim(port))
            {
                return port;
            }
        }
    }

    private static bool Claim(int port)
    {
        lock (Gate)
        {
            return Handed.Add(port);
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Ports below the ephemeral range (Linux: <c>ip_local_port_range</c>), else a fixed band.</summary>
    private static (int Low, int High) Range()
    {
        const string file = "/proc/sys/net/ipv4/ip_local_port_range";
        try
        {
            if (File.Exists(file))
            {
                var parts = File.ReadAllText(file).Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
                var ephemeralLow = int.Parse(parts[0], CultureInfo.InvariantCulture);
                if (ephemeralLow > 12000)
                {
                    return (10000, ephemeralLow);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
        {
        }

        return (20000, 30000);
    }
}
