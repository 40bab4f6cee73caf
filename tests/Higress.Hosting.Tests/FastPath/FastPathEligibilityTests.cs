using Higress.Core.Plan;
using Higress.Core.Resources;
using Higress.Hosting.FastPath;
using Microsoft.AspNetCore.Http;

namespace Higress.Hosting.Tests.FastPath;

/// <summary>What the fast path takes, decided per cluster when a plan is applied and per request for the rest.</summary>
public sealed class FastPathEligibilityTests
{
    [Fact]
    public void A_plain_http11_request_is_eligible()
    {
        Assert.True(FastPathEligibility.ForRequest(Request(HttpProtocol.Http11)));
    }

    [Theory]
    [InlineData("HTTP/2", null, null)]
    [InlineData("HTTP/3", null, null)]
    [InlineData("HTTP/1.0", null, null)]
    [InlineData("HTTP/1.1", "Upgrade", "websocket")]
    [InlineData("HTTP/1.1", "Expect", "100-continue")]
    [InlineData("HTTP/1.1", "TE", "trailers")]
    [InlineData("HTTP/1.1", "Trailer", "x-checksum")]
    public void Other_protocols_upgrades_expect_and_trailers_are_left_to_yarp(string protocol, string? header, string? value)
    {
        var context = Request(protocol);
        if (header is not null)
        {
            context.Request.Headers[header] = value;
        }

        Assert.False(FastPathEligibility.ForRequest(context));
    }

    [Fact]
    public void A_plain_http_cluster_is_eligible_and_tls_h2_outlier_detection_and_request_counting_balancers_are_not()
    {
        var plain = Cluster("http://127.0.0.1:1");
        Assert.True(FastPathEligibility.ForCluster(plain));
        Assert.False(FastPathEligibility.ForCluster(Cluster("https://127.0.0.1:1")));
        Assert.False(FastPathEligibility.ForCluster(plain with { Protocol = UpstreamProtocol.Http2 }));
        Assert.False(FastPathEligibility.ForCluster(plain with { LoadBalancing = "LeastRequests" }));
        Assert.False(FastPathEligibility.ForCluster(plain with { LoadBalancing = "PowerOfTwoChoices" }));
        Assert.False(FastPathEligibility.ForCluster(plain with { ConnectionPool = new ConnectionPoolPlan(MaxConnections: 5) }));
        Assert.True(FastPathEligibility.ForCluster(plain with { ConnectionPool = new ConnectionPoolPlan(IdleTimeout: TimeSpan.FromSeconds(1)) }));
    }

    private static DefaultHttpContext Request(string protocol)
    {
        var context = new DefaultHttpContext();
        context.Request.Protocol = protocol;
        context.Request.Method = "GET";
        return context;
    }

    private static ClusterPlan Cluster(string address) => new("c", new ResourceKey(ResourceKinds.Service, "default", "c"), [new DestinationPlan("d", address)]);
}
