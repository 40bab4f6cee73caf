using System.Globalization;
using System.Net;
using Higress.Hosting.Admin;
using Higress.Hosting.Runtime;
using Higress.Hosting.Sources;
using Higress.Hosting.Tests.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Higress.Hosting.Tests.Resilience;

/// <summary>
/// Outlier detection and active health checks on real Kestrel backends behind a real gateway: ejection, return,
/// the maxEjectionPercent cap, the panic rule, probes with both thresholds, and a bad edit that leaves the last good
/// policy serving.
/// </summary>
public sealed class OutlierDetectionTests
{
    private static string Config(string policy, IReadOnlyList<StatusBackend> backends) =>
        LoopbackGateway.Pool(backends.Select(b => b.Port), "loadBalancer: {simple: ROUND_ROBIN}, " + policy);

    private static async Task WithBackendsAsync(int[] statuses, Func<StatusBackend[], Task> test)
    {
        var backends = await StatusBackend.StartManyAsync(statuses);
        try
        {
            await test(backends);
        }
        finally
        {
            foreach (var backend in backends)
            {
                await backend.DisposeAsync();
            }
        }
    }

    private static async Task GetAsync(LoopbackGateway gateway, int count)
    {
        for (var i = 0; i < count; i++)
        {
            using var response = await gateway.Client.GetAsync(new Uri("/", UriKind.Relative));
        }
    }

    /// <summary>Polls (bounded: 20 s) until <paramref name="condition"/> holds.</summary>
    private static double Metric(string text, string series)
    {
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static DestinationState Destination(LoopbackGateway gateway, StatusBackend backend) =>
        gateway.Services.GetRequiredService<IProxyStateLookup>().GetClusters().Single().Destinations.Values
            .Single(d => d.Model.Config.Address.EndsWith(":" + backend.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));

    [Fact]
    public async Task A_destination_answering_500_is_ejected_after_exactly_3_failures_gets_no_traffic_and_returns_after_the_ejection_time()
    {
        await WithBackendsAsync([200, 200, 500], async backends =>
        {
            var bad = backends[2];
            await using var gateway = await LoopbackGateway.StartAsync(r => r.AddYaml(Config("outlierDetection: {consecutive5xxErrors: 3, baseEjectionTime: 5s}", backends)));
            var prometheus = gateway.Services.GetRequiredService<PrometheusText>();

            await GetAsync(gateway, 60);

            Assert.Equal(3, bad.Requests);
            Assert.Equal(57, backends[0].Requests + backends[1].Requests);
            // The meter is process-wide: gateways of other tests in this process may add to the same series, so the
            // figures are at least this gateway's.
            var metrics = prometheus.Render();
            Assert.True(Metric(metrics, "higress_upstream_ejections_total{cluster=\"serviceentry/default/pool.internal:80\"}") >= 1, metrics);
            Assert.True(Metric(metrics, "higress_upstream_ejected") >= 1, metrics);

            // After the ejection time (5 s: long enough that the 60 requests above finish inside it on a busy machine)
            // YARP puts it back; requests reach it again.
            Assert.True(await Eventually.TrueAsync(async () =>
            {
                await GetAsync(gateway, 3);
                return bad.Requests > 3;
            }));
        });
    }

    [Fact]
    public async Task MaxEjectionPercent_caps_ejections_so_a_second_failing_destination_keeps_its_traffic()
    {
        await WithBackendsAsync([200, 500, 500], async backends =>
        {
            await using var gateway = await LoopbackGateway.StartAsync(r => r.AddYaml(Config("outlierDetection: {consecutive5xxErrors: 3, baseEjectionTime: 60s, maxEjectionPercent: 30}", backends)));

            await GetAsync(gateway, 90);

            // One of 3 is 33%: once one is ejected the share is no longer below 30%, so the other stays in.
            var counts = backends[1..].Select(b => b.Requests).Order().ToArray();
            Assert.Equal(3, counts[0]);
            Assert.True(counts[1] > 30, $"the second failing destination got {counts[1]} requests");
            Assert.Equal(90, backends.Sum(b => b.Requests));
        });
    }

    [Fact]
    public async Task When_every_destination_is_ejected_requests_still_reach_all_of_them()
    {
        await WithBackendsAsync([500, 500, 500], async backends =>
        {
            await using var gateway = await LoopbackGateway.StartAsync(r => r.AddYaml(Config("outlierDetection: {consecutive5xxErrors: 1, baseEjectionTime: 60s, maxEjectionPercent: 100}", backends)));

            await GetAsync(gateway, 3);
            Assert.All(backends, b => Assert.Equal(DestinationHealth.Unhealthy, Destination(gateway, b).Health.Passive));

            await GetAsync(gateway, 30);

            Assert.Equal(33, backends.Sum(b => b.Requests));
            Assert.All(backends, b => Assert.True(b.Requests > 1, $"a backend got {b.Requests} requests"));
        });
    }

    [Fact]
    public async Task A_destination_whose_probe_answers_503_gets_no_traffic_until_healthyThreshold_probes_succeed()
    {
        await WithBackendsAsync([200, 200, 200], async backends =>
        {
            var sick = backends[2];
            sick.ProbeStatus = 503;
            await using var gateway = await LoopbackGateway.StartAsync(r => r.AddYaml(Config(
                $"healthCheck: {{path: {StatusBackend.ProbePath}, interval: 100ms, timeout: 1s, unhealthyThreshold: 2, healthyThreshold: 3}}", backends)));

            Assert.True(await Eventually.TrueAsync(() => Task.FromResult(Destination(gateway, sick).Health.Active == DestinationHealth.Unhealthy)));
            Assert.True(sick.Probes >= 2);
            var before = sick.Requests;
            await GetAsync(gateway, 30);
            Assert.Equal(before, sick.Requests);

            var probesAtRecovery = sick.Probes;
            sick.ProbeStatus = 200;
            Assert.True(await Eventually.TrueAsync(() => Task.FromResult(Destination(gateway, sick).Health.Active == DestinationHealth.Healthy)));
            Assert.True(sick.Probes - probesAtRecovery >= 3, $"healthy after {sick.Probes - probesAtRecovery} probes");
            await GetAsync(gateway, 30);
            Assert.True(sick.Requests > before);
        });
    }

    [Fact]
    public async Task A_bad_edit_is_refused_and_the_last_good_policy_keeps_ejecting()
    {
        await WithBackendsAsync([200, 200, 500], async backends =>
        {
            using var source = new CodeResourceSource(r => r.AddYaml(Config("outlierDetection: {consecutive5xxErrors: 3, baseEjectionTime: 60s}", backends)));
            await using var gateway = await LoopbackGateway.StartAsync(_ => { }, higress: h => h.Services.AddSingleton<Core.Resources.Sources.IResourceSource>(source));

            source.Update(r => r.AddYaml(Config("outlierDetection: {consecutive5xxErrors: 3, maxEjectionPercent: 150}", backends)));
            gateway.Services.GetRequiredService<HigressConfigurationLoop>().Rebuild();
            var runtime = gateway.Services.GetRequiredService<HigressRuntime>();
            Assert.True(await Eventually.TrueAsync(() => Task.FromResult(runtime.Current.Translation.Diagnostics.Any(d => d.IsError && d.FieldPath.EndsWith("maxEjectionPercent", StringComparison.Ordinal)))));

            Assert.Equal(TimeSpan.FromSeconds(60), runtime.Current.Plan.Clusters.Single().OutlierDetection!.BaseEjectionTime);
            await GetAsync(gateway, 30);
            Assert.Equal(3, backends[2].Requests);
            Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
        });
    }
}
