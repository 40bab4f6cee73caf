using System.Text;
using Higress.Core.Plan;
using Higress.Hosting.Resilience;

namespace Higress.Hosting.Tests.Resilience;

/// <summary>The pool settings of a cluster's plan reach the SocketsHttpHandler of its forwarder client.</summary>
public sealed class ConnectionPoolMetadataTests
{
    [Fact]
    public void Pool_settings_reach_the_handler()
    {
        var plan = new ConnectionPoolPlan(MaxConnections: 7, MaxRequestsPerConnection: 3, IdleTimeout: TimeSpan.FromSeconds(42), ConnectTimeout: TimeSpan.FromMilliseconds(1500), MaxConnectionDuration: TimeSpan.FromMinutes(5));
        using var handler = new SocketsHttpHandler();

        ConnectionPoolMetadata.Apply(ConnectionPoolMetadata.ToMetadata(plan), handler);

        Assert.Equal(7, handler.MaxConnectionsPerServer);
        Assert.Equal(TimeSpan.FromSeconds(42), handler.PooledConnectionIdleTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), handler.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMinutes(5), handler.PooledConnectionLifetime);
        Assert.NotNull(handler.PlaintextStreamFilter);
    }

    [Fact]
    public void Limits_enforced_by_admission_alone_leave_the_handler_and_its_client_unchanged()
    {
        using var handler = new SocketsHttpHandler();
        var defaults = (handler.MaxConnectionsPerServer, handler.PooledConnectionIdleTimeout, handler.ConnectTimeout, handler.PooledConnectionLifetime);

        var metadata = ConnectionPoolMetadata.ToMetadata(new ConnectionPoolPlan(MaxRequests: 5, MaxPendingRequests: 2));
        ConnectionPoolMetadata.Apply(metadata, handler);

        Assert.Null(metadata);
        Assert.Equal(defaults, (handler.MaxConnectionsPerServer, handler.PooledConnectionIdleTimeout, handler.ConnectTimeout, handler.PooledConnectionLifetime));
        Assert.Null(handler.PlaintextStreamFilter);
        Assert.True(ConnectionPoolMetadata.SameSettings(null, new Dictionary<string, string> { ["other"] = "x" }));
        Assert.False(ConnectionPoolMetadata.SameSettings(null, ConnectionPoolMetadata.ToMetadata(new ConnectionPoolPlan(MaxConnections: 1))));
    }

    [Theory]
    [InlineData("GET /a HTTP/1.1\r\nHost: x\r\n\r\n", 17)]
    [InlineData("PROPFIND /dav HTTP/1.0\r\n\r\n", 24)]
    [InlineData("{\"GET /a HTTP/1.1\": 1}\r\n", null)]
    [InlineData("GET /a HTTP/1.1", null)]
    [InlineData("\u0081\u00fe masked frame\r\n", null)]
    public void Only_a_request_line_starts_a_request(string bytes, int? length) =>
        Assert.Equal(length, RequestLimitedStream.RequestLineLength(Encoding.Latin1.GetBytes(bytes)));
}
