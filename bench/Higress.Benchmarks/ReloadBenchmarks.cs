using BenchmarkDotNet.Attributes;
using Higress.Core.Resources;

namespace Higress.Benchmarks;

/// <summary>
/// A full reload of a running gateway host with 10,000 routes: a change is put into the code source (not timed), then
/// <see cref="ReloadHost.Rebuild"/> builds the snapshot, translates it and applies the plan through the real runtime
/// (route table, plugin chains, YARP configuration and endpoints). Each iteration alternates between two
/// configurations, so every one is a real change. <see cref="Change"/> says what differs between the two.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)] // one reload per iteration: the iteration setup puts the next change in place
public class ReloadBenchmarks
{
    private ReloadHost? _host;
    private IReadOnlyList<Resource>[] _variants = [];
    private int _next;
    private long _expected;

    /// <summary>What a reload changes.</summary>
    public enum ReloadChange
    {
        /// <summary>One route's prefix (the common edit).</summary>
        OneRoute,

        /// <summary>Every EndpointSlice's port, so YARP must replace every cluster.</summary>
        AllClusters,
    }

    [Params(10_000)]
    public int Routes { get; set; }

    [Params(ReloadChange.OneRoute, ReloadChange.AllClusters)]
    public ReloadChange Change { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _variants = [BenchWorkload.Resources(Routes), Variant(Routes, Change)];
        _host = ReloadHost.StartAsync(_variants[0]).GetAwaiter().GetResult();
        _next = 1;
    }

    [GlobalCleanup]
    public void Cleanup() => _host?.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [IterationSetup]
    public void NextChange()
    {
        _expected = _host!.AppliedGeneration + 1;
        _host.SetResources(_variants[_next]);
        _next ^= 1;
    }

    [Benchmark]
    public void TranslateAndApply()
    {
        _host!.Rebuild();
        if (_host.AppliedGeneration != _expected)
        {
            throw new InvalidOperationException($"the reload did not apply: generation {_host.AppliedGeneration}, expected {_expected} ({_host.Runtime.LastApplyError})");
        }
    }

    internal static IReadOnlyList<Resource> Variant(int routes, ReloadChange change)
    {
        if (change == ReloadChange.AllClusters)
        {
            return BenchWorkload.Resources(routes, backendPort: 5081);
        }

        var middle = BenchWorkload.Middle(routes);
        var yaml = BenchWorkload.Yaml(routes, 8080, 5080).Replace($"{{prefix: /svc{middle}}}", $"{{prefix: /svc{middle}-v2}}", StringComparison.Ordinal);
        return Core.Resources.Parsing.ResourceParser.Parse(yaml, new ResourceOrigin("bench", null, 0, 0)).Resources;
    }
}
