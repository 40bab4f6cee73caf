using System.Globalization;
using System.Net;
using Higress.Hosting.Admin;
using Higress.Hosting.Resilience;
using Higress.Hosting.Runtime;
using Higress.Hosting.Sources;
using Higress.Hosting.Tests.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy;

namespace Higress.Hosting.Tests.Resilience;

/// <summary>
/// ServiceEntry <c>trafficPolicy.connectionPool</c> on a real gateway and a backend that holds requests until the test
/// releases them: a full limit answers 503 with <c>x-higress-overloaded</c> at once, never a queue beyond the limits.
/// </summary>
public sealed class ConnectionPoolTests
{
    private static string Config(string host, HoldingBackend backend, string connectionPool) => $$$"""
        apiVersion: networking.higress.io/v1alpha1
        kind: ServiceEntry
        metadata: {name: pool}
        spec:
          hosts: [{{{host}}}]
          ports: [{number: 80, name: http}]
          endpoints: [{address: 127.0.0.1, ports: {http: {{{backend.Port.ToString(CultureInfo.InvariantCulture)}}}}}]
          trafficPolicy: {connectionPool: {{{connectionPool}}}}
        ---
        {{{LoopbackGateway.Route(LoopbackGateway.ForwardTo(host, 80))}}}
        """;

    [Fact]
    public async Task MaxConnections_1_with_one_pending_request_refuses_the_third_while_two_are_held()
    {
        await using var backend = await HoldingBackend.StartAsync();
        await using var gateway = await LoopbackGateway.StartAsync(r => r.AddYaml(Config("pending.internal", backend, "{tcp: {maxConnections: 1}, http: {http1MaxPendingRequests: 1}}")));
        var admission = Admission(gateway, "pending.internal");
        Assert.Equal(2, admission.Limit);

        var first = gateway.Client.GetAsync(new Uri("/hold/1", UriKind.Relative));
        await backend.WaitArrivedAsync(1);
        var second = gateway.Client.GetAsync(new Uri("/hold/2", UriKind.Relative));
        await WaitInFlightAsync(admission, 2);

        using (var third = await gateway.Client.GetAsync(new Uri("/hold/3", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, third.StatusCode);
            Assert.Equal("true", Assert.Single(third.Headers.GetValues("x-higress-overloaded")));
        }

        // One connection: the second request waits in the pool, it has not reached the backend.
        Assert.False(first.IsCompleted || second.IsCompleted);
        Assert.Equal(1, backend.Requests);

        backend.Release();
        using (var one = await first)
        using (var two = await second)
        {
            Assert.Equal(HttpStatusCode.OK, one.StatusCode);
            Assert.Equal(HttpStatusCode.OK, two.StatusCode);
        }

        Assert.Equal(2, backend.Requests);
        await WaitInFlightAsync(admission, 0);
        using var next = await gateway.Client.GetAsync(new Uri("/hold/4", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(1, backend.Connections);
        Assert.Contains(
            $"higress_upstream_overflow_total{{cluster=\"{admission.ClusterId}\",limit=\"http1MaxPendingRequests\"}} 1\n",
            gateway.Services.GetRequiredService<PrometheusText>().Render(),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http2MaxRequests_limits_requests_in_flight_and_a_changed_limit_applies_on_reload()
    {
        await using var backend = await HoldingBackend.StartAsync();
        using var source = new CodeResourceSource(r => r.AddYaml(Config("requests.internal", backend, "{http: {http2MaxRequests: 2}}")));
        await using var gateway = await LoopbackGateway.StartAsync(_ => { }, higress: h => h.Services.AddSingleton<Core.Resources.Sources.IResourceSource>(source));

        await FillAndOverflowAsync(gateway, backend, "requests.internal", held: 2);

        source.Update(r => r.AddYaml(Config("requests.internal", backend, "{http: {http2MaxRequests: 3}}")));
        gateway.Services.GetRequiredService<HigressConfigurationLoop>().Rebuild();
        Assert.Equal(3, Admission(gateway, "requests.internal").Limit);
        await FillAndOverflowAsync(gateway, backend, "requests.internal", held: 3);

        // A bad edit is refused and the last good limit keeps serving.
        source.Update(r => r.AddYaml(Config("requests.internal", backend, "{http: {http2MaxRequests: 0}}")));
        gateway.Services.GetRequiredService<HigressConfigurationLoop>().Rebuild();
        Assert.Equal(3, Admission(gateway, "requests.internal").Limit);
        await FillAndOverflowAsync(gateway, backend, "requests.internal", held: 3);
    }

    [Theory]
    [InlineData(1, 6, 6)]
    [InlineData(2, 6, 3)]
    [InlineData(0, 6, 1)]
    public async Task MaxRequestsPerConnection_retires_each_connection_after_that_many_requests(int perConnection, int requests, int connections)
    {
        await using var backend = await HoldingBackend.StartAsync();
        backend.Release();
        var pool = perConnection == 0 ? "{tcp: {connectTimeout: 5s}}" : $"{{http: {{maxRequestsPerConnection: {perConnection}}}}}";
        await using var gateway = await LoopbackGateway.StartAsync(r => r.AddYaml(Config("reuse.internal", backend, pool)));

        for (var i = 0; i < requests; i++)
        {
            using var response = await gateway.Client.GetAsync(new Uri("/", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(requests, backend.Requests);
        Assert.Equal(connections, backend.Connections);
    }

    [Fact]
    public async Task A_changed_pool_setting_gives_the_cluster_a_new_client()
    {
        await using var backend = await HoldingBackend.StartAsync();
        backend.Release();
        using var source = new CodeResourceSource(r => r.AddYaml(Config("client.internal", backend, "{tcp: {idleTimeout: 30s}}")));
        await using var gateway = await LoopbackGateway.StartAsync(_ => { }, higress: h => h.Services.AddSingleton<Core.Resources.Sources.IResourceSource>(source));
        var lookup = gateway.Services.GetRequiredService<IProxyStateLookup>();
        var before = lookup.GetClusters().Single().Model.HttpClient;

        source.Update(r => r.AddYaml(Config("client.internal", backend, "{tcp: {idleTimeout: 40s}}")));
        gateway.Services.GetRequiredService<HigressConfigurationLoop>().Rebuild();

        Assert.NotSame(before, lookup.GetClusters().Single().Model.HttpClient);
        using var response = await gateway.Client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    // Holds `held` requests at the backend, checks that one more is refused at once, then releases them.
    private static async Task FillAndOverflowAsync(LoopbackGateway gateway, HoldingBackend backend, string host, int held)
    {
        await WaitInFlightAsync(Admission(gateway, host), 0);
        backend.Hold();
        var before = backend.Requests;
        var holding = new List<Task<HttpResponseMessage>>();
        for (var i = 0; i < held; i++)
        {
            holding.Add(gateway.Client.GetAsync(new Uri("/hold", UriKind.Relative)));
        }

        await backend.WaitArrivedAsync(held);
        using (var overflow = await gateway.Client.GetAsync(new Uri("/hold", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, overflow.StatusCode);
            Assert.True(overflow.Headers.Contains("x-higress-overloaded"));
        }

        Assert.Equal(before + held, backend.Requests);
        backend.Release();
        foreach (var response in await Task.WhenAll(holding))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            response.Dispose();
        }
    }

    private static ConnectionPoolAdmission Admission(LoopbackGateway gateway, string host)
    {
        var cluster = gateway.Services.GetRequiredService<HigressRuntime>().Current.Clusters.Values.Single(c => c.Cluster.Id.Contains(host, StringComparison.Ordinal));
        return Assert.IsType<ConnectionPoolAdmission>(cluster.Policy(ConnectionPoolPolicyFactory.PolicyName));
    }

    // The gateway admits a request on its own thread; wait a bounded while until it counts.
    private static async Task WaitInFlightAsync(ConnectionPoolAdmission admission, int count)
    {
        for (var attempt = 0; attempt < 500 && admission.InFlight < count; attempt++)
        {
            await Task.Delay(10);
        }

        Assert.Equal(count, admission.InFlight);
    }
}
