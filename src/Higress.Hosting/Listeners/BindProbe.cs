using System.Net;
using System.Net.Sockets;

namespace Higress.Hosting.Listeners;

/// <summary>
/// Checks that an address and port can be bound by binding a socket to it and closing it again, so that a port that
/// is taken, privileged or not local is reported instead of failing inside Kestrel (which ends the host at startup).
/// </summary>
internal static class BindProbe
{
    /// <summary>Null when the endpoint can be bound now; otherwise the OS reason and the fix.</summary>
    public static string? Check(string address, int port)
    {
        var ip = ToIPAddress(address);
        try
        {
            using var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);

            // Kestrel binds with SO_REUSEADDR on Unix, so a port whose last connections linger in TIME_WAIT is free to it.
            if (!OperatingSystem.IsWindows())
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            }

            socket.Bind(new IPEndPoint(ip, port));
            return null;
        }
        catch (SocketException ex)
        {
            return Explain(ex, address, port);
        }
    }

    /// <summary>The address Kestrel binds for <paramref name="address"/>: an IP as given, loopback for <c>localhost</c>, else any.</summary>
    public static IPAddress ToIPAddress(string address)
    {
        if (IPAddress.TryParse(address.Trim('[', ']'), out var ip))
        {
            return ip;
        }

        return string.Equals(address, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback : IPAddress.Any;
    }

    /// <summary>The OS reason a bind failed, and the fix.</summary>
    public static string Explain(SocketException ex, string address, int port) => ex.SocketErrorCode switch
    {
        SocketError.AddressAlreadyInUse =>
            $"address in use: another process (or another endpoint of this host) holds {address}:{port}; free the port or choose another one",
        SocketError.AccessDenied =>
            $"permission denied for port {port}: ports below 1024 need root or the CAP_NET_BIND_SERVICE capability (setcap 'cap_net_bind_service=+ep' on the dotnet binary); or choose a port of 1024 or above",
        SocketError.AddressNotAvailable =>
            $"address not available: {address} is not an address of this machine; set Higress:BindAddress (or the Gateway's spec.addresses) to a local address or 0.0.0.0",
        _ => $"cannot bind {address}:{port}: {ex.Message} ({ex.SocketErrorCode})",
    };
}
