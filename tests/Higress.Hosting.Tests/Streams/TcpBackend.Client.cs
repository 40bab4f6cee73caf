using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Higress.Hosting.Tests.Streams;

/// <summary>The client side of the L4 tests: connecting (from a chosen source address), sending, reading to the end.</summary>
internal sealed partial class TcpBackend
{
    /// <summary>Reads until the peer half-closes (or resets: then the result holds what arrived before).</summary>
    public static async Task<(long Length, byte[] Hash)> ReadToEndAsync(Socket socket, CancellationToken token = default)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        long total = 0;
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, token)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                total += read;
            }
        }
        catch (SocketException)
        {
        }

        return (total, hash.GetHashAndReset());
    }

    /// <summary>Sends <paramref name="megabytes"/> MB of seeded random bytes; returns their SHA-256.</summary>
    public static async Task<byte[]> SendRandomAsync(Socket socket, int megabytes, int seed)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var random = new Random(seed);
        var chunk = new byte[1024 * 1024];
        for (var i = 0; i < megabytes; i++)
        {
            random.NextBytes(chunk);
            hash.AppendData(chunk);
            await socket.SendAsync(chunk, SocketFlags.None);
        }

        return hash.GetHashAndReset();
    }

    /// <summary>A connected socket to 127.0.0.1:<paramref name="port"/>, from <paramref name="source"/> when given.</summary>
    public static async Task<Socket> ConnectAsync(int port, IPAddress? source = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (source is not null)
        {
            socket.Bind(new IPEndPoint(source, 0));
        }

        await socket.ConnectAsync(IPAddress.Loopback, port);
        return socket;
    }

    /// <summary>Waits (bounded) until something accepts connections on <paramref name="port"/>.</summary>
    public static async Task WaitListeningAsync(int port)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var socket = await ConnectAsync(port);
                return;
            }
            catch (SocketException) when (attempt < 100)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>One echo round trip of <paramref name="text"/>, then a half-close; true when it came back whole.</summary>
    public static async Task<bool> EchoesAsync(Socket socket, string text = "ping")
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(text);
        try
        {
            await socket.SendAsync(bytes, SocketFlags.None);
            socket.Shutdown(SocketShutdown.Send);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var (length, hash) = await ReadToEndAsync(socket, timeout.Token);
            return length == bytes.Length && hash.SequenceEqual(SHA256.HashData(bytes));
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
