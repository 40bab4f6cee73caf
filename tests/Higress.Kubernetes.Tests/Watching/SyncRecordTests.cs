using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Higress.Kubernetes.Tests.Fake;
using Higress.Kubernetes.Tests.Infrastructure;

namespace Higress.Kubernetes.Tests.Watching;

/// <summary>
/// The 5,000-object record (docs/benchmarks.md): time to readiness and memory when a gateway syncs 5,000 Routes and
/// 5,000 Services from the fake API server. A measurement, not an assertion on time: it runs only with
/// <c>HIGRESS_K8S_SYNC_RECORD=1</c> and writes <c>artifacts/kubernetes-sync-record.json</c>.
/// </summary>
public sealed class SyncRecordTests
{
    private const int Count = 5000;

    [Fact]
    public async Task Syncing_5000_Routes_and_5000_Services_is_recorded_when_asked()
    {
        if (Environment.GetEnvironmentVariable("HIGRESS_K8S_SYNC_RECORD") != "1")
        {
            return;
        }

        await using var api = await FakeKubeApiServer.StartAsync();
        api.PutMany(Enumerable.Range(0, Count).Select(i =>
            """{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "svc-N", "namespace": "default"}, "spec": {"ports": [{"name": "http", "port": 80}]}}"""
                .Replace("svc-N", $"svc-{i}", StringComparison.Ordinal)));
        api.PutMany(Enumerable.Range(0, Count).Select(i => NamedBackend.Route($"route-{i}", $"/svc-{i}", $"svc-{i}")));
        var (heapBefore, rssBefore) = Memory();

        var clock = Stopwatch.StartNew();
        await using var gateway = await WatchedGateway.StartAsync(api, o => o.WriteStatus = false);
        await WatchedGateway.WaitUntilAsync(async () => (int)(await gateway.Admin.GetAsync("/readyz")).StatusCode == 200, "ready", seconds: 300);
        var ready = clock.Elapsed;
        Assert.NotEqual("404", await gateway.GetAsync($"/svc-{Count - 1}"));
        var (heapAfter, rssAfter) = Memory();

        var record = new JsonObject
        {
            ["routes"] = Count,
            ["services"] = Count,
            ["readySeconds"] = Math.Round(ready.TotalSeconds, 2),
            ["heapBeforeMiB"] = heapBefore,
            ["heapAfterMiB"] = heapAfter,
            ["heapGrowthMiB"] = Math.Round(heapAfter - heapBefore, 1),
            ["rssBeforeMiB"] = rssBefore,
            ["rssAfterMiB"] = rssAfter,
            ["rssGrowthMiB"] = Math.Round(rssAfter - rssBefore, 1),
            ["planGeneration"] = gateway.Loop.Generation,
            ["loadAverage"] = File.Exists("/proc/loadavg") ? (await File.ReadAllTextAsync("/proc/loadavg")).Trim() : null,
            ["processors"] = Environment.ProcessorCount,
            ["when"] = DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture),
        };
        Directory.CreateDirectory(Repository.Path("artifacts"));
        await File.WriteAllTextAsync(Repository.Path("artifacts", "kubernetes-sync-record.json"), record.ToJsonString(new() { WriteIndented = true }));
    }

    /// <summary>Managed heap after a full collection, and the process's resident set, in MiB.</summary>
    private static (double Heap, double Rss) Memory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return (Math.Round(GC.GetTotalMemory(true) / 1048576.0, 1), Math.Round(process.WorkingSet64 / 1048576.0, 1));
    }
}
