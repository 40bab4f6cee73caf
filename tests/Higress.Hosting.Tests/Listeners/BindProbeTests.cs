using System.Net;
using System.Net.Sockets;
using Higress.Hosting.Listeners;

namespace Higress.Hosting.Tests.Listeners;

/// <summary>The bind probe that decides whether an endpoint is handed to Kestrel.</summary>
public sealed class BindProbeTests
{
    [Fact]
    public void A_port_another_socket_listens_on_is_in_use_with_the_fix()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;

            var reason = BindProbe.Check("127.0.0.1", port);

            Assert.NotNull(reason);
            Assert.StartsWith("address in use", reason, StringComparison.Ordinal);
            Assert.Contains("free the port or choose another one", reason, StringComparison.Ordinal);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public void A_free_port_binds_and_is_released_again()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        Assert.Null(BindProbe.Check("127.0.0.1", port));
        Assert.Null(BindProbe.Check("127.0.0.1", port));
    }
}
