using System.Globalization;
using System.Net;
using Higress.Hosting.Tests.Runtime;
using Xunit.Abstractions;

namespace Higress.Hosting.Tests.Balancing;

/// <summary>Endpoint weights and route-level weights over real Kestrel backends, as measured shares of 2,000 requests.</summary>
public sealed class WeightedBalancingTests(ITestOutputHelper output)
{
    private const int Requests = 2000;

    private static async Task GetOkAsync(HttpClient client, int count)
    {
        for (var i = 0; i < count; i++)
        {
            using var response = await client.GetAsync(new Uri("/", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private void AssertShares(SleepingBackend[] backends, params double[] expected) => AssertSharesWithin(backends, 0.03, expected);

    private void AssertSharesWithin(SleepingBackend[] backends, double tolerance, params double[] expected)
    {
        var shares = backends.Select(b => b.Requests / (double)Requests).ToArray();
        output.WriteLine(string.Join(", ", shares.Select(s => s.ToString("P1", CultureInfo.InvariantCulture))));
        Assert.Equal(Requests, backends.Sum(b => b.Requests));
        for (var i = 0; i < backends.Length; i++)
        {
            Assert.InRange(shares[i], expected[i] - tolerance, expected[i] + tolerance);
        }
    }

    [Fact]
    public Task Endpoint_weights_1_2_7_split_round_robin_traffic_within_3_points() =>
        SleepingBackend.WithManyAsync(3, async backends =>
        {
            await using var gateway = await LoopbackGateway.StartAsync(r => r.AddYaml(ConsistentHashTests.Config("{simple: ROUND_ROBIN}", backends, "1:2:7")));

            await GetOkAsync(gateway.Client, Requests);

            AssertShares(backends, 0.1, 0.2, 0.7);
        });

    [Fact]
    public Task Endpoint_weights_1_2_7_split_least_request_traffic_by_weight() =>
        SleepingBackend.WithManyAsync(3, async backends =>
        {
            await using var gateway = await LoopbackGateway.StartAsync(r => r.AddYaml(ConsistentHashTests.Config("{simple: LEAST_REQUEST}", backends, "1:2:7")));

            await GetOkAsync(gateway.Client, Requests);

            // Sequential requests leave every endpoint idle, so the split is weighted random (one standard deviation is
            // about 1 point); 5 points keeps the test deterministic in practice, round robin above asserts 3.
            AssertSharesWithin(backends, 0.05, 0.1, 0.2, 0.7);
        });

    [Fact]
    public Task An_endpoint_of_weight_0_gets_no_traffic() =>
        SleepingBackend.WithManyAsync(3, async backends =>
        {
            await using var gateway = await LoopbackGateway.StartAsync(r => r.AddYaml(ConsistentHashTests.Config("{simple: RANDOM}", backends, "1:0:1")));

            await GetOkAsync(gateway.Client, 200);

            Assert.Equal(0, backends[1].Requests);
            Assert.True(backends[0].Requests > 0 && backends[2].Requests > 0);
        });

    [Fact]
    public Task Route_weights_10_90_split_traffic_within_3_points() =>
        SleepingBackend.WithManyAsync(2, async backends =>
        {
            var services = string.Join("\n---\n", backends.Select((b, i) => string.Create(CultureInfo.InvariantCulture, $$$"""
                apiVersion: networking.higress.io/v1alpha1
                kind: ServiceEntry
                metadata: {name: s{{{i}}}}
                spec:
                  hosts: [s{{{i}}}.internal]
                  ports: [{number: 80, name: http}]
                  endpoints: [{address: 127.0.0.1, ports: {http: {{{b.Port}}}}}]
                """)));
            var route = LoopbackGateway.Route("route: [{destination: {host: s0.internal, port: 80}, weight: 10}, {destination: {host: s1.internal, port: 80}, weight: 90}]");
            await using var gateway = await LoopbackGateway.StartAsync(r => r.AddYaml(services + "\n---\n" + route));

            await GetOkAsync(gateway.Client, Requests);

            AssertShares(backends, 0.1, 0.9);
        });
}
