using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Higress.Core.Diagnostics;
using Higress.Hosting.Admin;

namespace Higress.Benchmarks;

/// <summary>
/// The cost <c>/metrics</c> adds to every measurement of the host's meter (docs/benchmarks.md "Metrics recording"):
/// a request records a handful of counters and histograms with three or four tags, and <see cref="PrometheusText"/>
/// sees each. Measured through a real <see cref="Counter{T}"/> and <see cref="Histogram{T}"/>, with the label set
/// already known (the steady state) and without any listener (the instrument's own cost).
/// </summary>
[MemoryDiagnoser]
public class MetricsBenchmarks
{
    private static readonly object Status = 200;

    private HigressMeter _meter = null!;
    private PrometheusText _prometheus = null!;
    private Counter<long> _counter = null!;
    private Histogram<double> _histogram = null!;
    private HigressMeter _bareMeter = null!;
    private Counter<long> _bareCounter = null!;

    [GlobalSetup]
    public void Setup()
    {
        _meter = new HigressMeter();
        _prometheus = new PrometheusText(_meter);
        _counter = _meter.Meter.CreateCounter<long>("bench.requests", "{request}");
        _histogram = _meter.Meter.CreateHistogram<double>("bench.duration", "s");
        _bareMeter = new HigressMeter();
        _bareCounter = _bareMeter.Meter.CreateCounter<long>("bench.bare", "{request}");
        CounterWithPrometheus();
        HistogramWithPrometheus();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _prometheus.Dispose();
        _meter.Meter.Dispose();
        _bareMeter.Meter.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void CounterWithoutListener() =>
        _bareCounter.Add(1, new("route", "Route/default/r/0"), new("cluster", "default/orders:80"), new("code", Status));

    [Benchmark]
    public void CounterWithPrometheus() =>
        _counter.Add(1, new("route", "Route/default/r/0"), new("cluster", "default/orders:80"), new("code", Status));

    [Benchmark]
    public void HistogramWithPrometheus() =>
        _histogram.Record(0.0042, new("route", "Route/default/r/0"), new("cluster", "default/orders:80"), new("code", Status));
}
