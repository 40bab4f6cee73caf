using System.Net;
using System.Net.Sockets;

namespace Higress.EndToEnd.Tests.Infrastructure;

/// <summary>Finds loopback ports nobody listens on, by letting the OS pick one for a throwaway socket.</summary>
internal static class FreePorts
{
    private static readonly HashSet<int> Handed = [];
    private static readonly Lock Gate = new();

    /// <summary>A port that is free now and was not handed out before in this process.</summary>
    public static int Next()
    {
        while (true)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
            lock (Gate)
            {
                if (Handed.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
