using System.Net;
using System.Net.Sockets;

namespace Higress.Hosting.Tests;

/// <summary>
/// Ports for loopback servers whose port a test must know before they start (gateway listeners, backends named in
/// configuration). They come from below the kernel's ephemeral range (32768 and up on Linux), where no outgoing
/// connection can take them between the check and the bind, and never twice in one process.
/// </summary>
internal static class TestPorts
{
    private const int First = 20000;
    private const int Count = 12000;
    private static int _next = Environment.ProcessId * 7919 % Count;

    /// <summary>A port that was free on 127.0.0.1 a moment ago and that no other test of this process gets.</summary>
    public static int Next()
    {
        for (var attempt = 0; attempt < Count; attempt++)
        {
            var port = First + (Interlocked.Increment(ref _next) % Count);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException($"no free port between {First} and {First + Count}");
    }
}
