using BenchmarkDotNet.Attributes;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;
using Higress.Core.Routing;
using Higress.Core.Translation;

namespace Higress.Benchmarks;

/// <summary>
/// The control-plane costs of a configuration of 10, 1,000 and 10,000 routes, step by step: parsing the YAML,
/// translating a snapshot into a plan, and building the matcher's table for the plan.
/// </summary>
[MemoryDiagnoser]
public class TranslatorBenchmarks
{
    private string _yaml = string.Empty;
    private ResourceSnapshot _snapshot = ResourceSnapshot.Empty;
    private Core.Plan.GatewayPlan _plan = Core.Plan.GatewayPlan.Empty;

    [Params(10, 1_000, 10_000)]
    public int Routes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _yaml = BenchWorkload.Yaml(Routes, 8080, 5080);
        _snapshot = new ResourceSnapshot(BenchWorkload.Resources(Routes));
        var translation = Translator.Translate(_snapshot);
        if (translation.Diagnostics.Any(d => d.IsError) || translation.Plan.Routes.Count < Routes)
        {
            throw new InvalidOperationException("the workload does not translate cleanly: " + string.Join("; ", translation.Diagnostics.Take(5)));
        }

        _plan = translation.Plan;
    }

    [Benchmark]
    public int ParseYaml() => ResourceParser.Parse(_yaml, new ResourceOrigin("bench", null, 0, 0)).Resources.Count;

    [Benchmark(Baseline = true)]
    public TranslationResult Translate() => Translator.Translate(_snapshot);

    [Benchmark]
    public object BuildRouteTable() => RouteTable.Build(_plan);   // object: the route table is internal
}
