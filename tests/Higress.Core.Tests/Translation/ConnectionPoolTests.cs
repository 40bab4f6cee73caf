using Higress.Core.Plan;
using Higress.Core.Resources;
using Higress.Core.Tests.Resources;
using Higress.Core.Translation;

namespace Higress.Core.Tests.Translation;

/// <summary>ServiceEntry <c>trafficPolicy.connectionPool</c>: what is read, what is refused, what is reported.</summary>
public sealed class ConnectionPoolTests
{
    private static string Entry(string connectionPool) => ServiceEntryChecksTests.Yaml("    connectionPool: " + connectionPool.ReplaceLineEndings("\n    "));

    [Theory]
    [InlineData("{tcp: {maxConnections: 0}}", "spec.trafficPolicy.connectionPool.tcp.maxConnections")]
    [InlineData("{http: {http1MaxPendingRequests: -1}}", "spec.trafficPolicy.connectionPool.http.http1MaxPendingRequests")]
    [InlineData("{http: {http2MaxRequests: 0}}", "spec.trafficPolicy.connectionPool.http.http2MaxRequests")]
    [InlineData("{http: {maxRequestsPerConnection: -1}}", "spec.trafficPolicy.connectionPool.http.maxRequestsPerConnection")]
    [InlineData("{tcp: {connectTimeout: 0s}}", "spec.trafficPolicy.connectionPool.tcp.connectTimeout")]
    [InlineData("{tcp: {maxConnectionDuration: 0s}}", "spec.trafficPolicy.connectionPool.tcp.maxConnectionDuration")]
    [InlineData("{http: {idleTimeout: 0s}}", "spec.trafficPolicy.connectionPool.http.idleTimeout")]
    public void Zero_or_negative_values_are_errors_naming_the_field(string connectionPool, string field)
    {
        var result = ResourceParserTests.Parse(Entry(connectionPool));

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal("ServiceEntry default/ext", error.Object);
        Assert.Equal(field, error.FieldPath);
        Assert.False(string.IsNullOrEmpty(error.Fix));
    }

    [Fact]
    public void The_pool_maps_to_the_cluster_and_only_fields_without_an_equivalent_are_reported()
    {
        var parsed = ResourceParserTests.Parse(Entry("""
            {tcp: {maxConnections: 4, connectTimeout: 2s, maxConnectionDuration: 10m, idleTimeout: 1m, tcpKeepalive: {time: 60s}},
                  http: {http1MaxPendingRequests: 8, http2MaxRequests: 16, maxRequestsPerConnection: 3, maxRetries: 2, idleTimeout: 30s,
                         h2UpgradePolicy: UPGRADE, useClientProtocol: true, maxConcurrentStreams: 100}}
            """));
        Assert.DoesNotContain(parsed.Diagnostics, d => d.IsError);

        var result = Translator.Translate(new ResourceSnapshot(parsed.Resources, parsed.Diagnostics));

        Assert.Equal(
            new ConnectionPoolPlan(4, 8, 16, 3, 2, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(10)),
            Assert.Single(result.Plan.Clusters).ConnectionPool);
        var reported = result.Diagnostics.Where(d => d.Message.Contains("not enforced", StringComparison.Ordinal)).Select(d => d.FieldPath).Order(StringComparer.Ordinal);
        Assert.Equal(
            [
                "spec.trafficPolicy.connectionPool.http.h2UpgradePolicy",
                "spec.trafficPolicy.connectionPool.http.maxConcurrentStreams",
                "spec.trafficPolicy.connectionPool.http.useClientProtocol",
                "spec.trafficPolicy.connectionPool.tcp.tcpKeepalive",
            ],
            reported);
    }
}
