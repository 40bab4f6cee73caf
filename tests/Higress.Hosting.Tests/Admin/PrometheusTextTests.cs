using System.Diagnostics.Metrics;
using Higress.Core.Diagnostics;
using Higress.Hosting.Admin;

namespace Higress.Hosting.Tests.Admin;

/// <summary>How <c>/metrics</c> groups measurements into series: by label set, bounded, one line per label set.</summary>
public sealed class PrometheusTextTests : IDisposable
{
    private readonly HigressMeter _meter = new();
    private readonly PrometheusText _prometheus;
    private readonly Counter<long> _counter;

    public PrometheusTextTests()
    {
        _prometheus = new PrometheusText(_meter);
        _counter = _meter.Meter.CreateCounter<long>("test.requests", "{request}", "Test requests");
    }

    public void Dispose()
    {
        _prometheus.Dispose();
        _meter.Dispose();
    }

    private string[] Lines() => [.. _prometheus.Render().Split('\n').Where(l => l.StartsWith("test_requests_total", StringComparison.Ordinal))];

    [Fact]
    public void Measurements_with_the_same_tags_add_up_in_one_series_and_other_tags_make_another()
    {
        for (var i = 0; i < 1000; i++)
        {
            _counter.Add(1, new("route", "a"), new("code", 200));
        }

        _counter.Add(5, new("route", "b"), new("code", 200));

        Assert.Equal(["test_requests_total{code=\"200\",route=\"a\"} 1000", "test_requests_total{code=\"200\",route=\"b\"} 5"], Lines().Select(Sorted).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Tag_values_that_print_alike_share_one_series()
    {
        _counter.Add(1, new KeyValuePair<string, object?>("code", 200));
        _counter.Add(2, new KeyValuePair<string, object?>("code", "200"));

        Assert.Equal(["test_requests_total{code=\"200\"} 3"], Lines());
    }

    [Fact]
    public void Label_sets_past_the_limit_add_up_in_the_overflow_series()
    {
        var extra = 10;
        for (var i = 0; i < PrometheusText.MaxSeriesPerInstrument + extra; i++)
        {
            _counter.Add(1, new KeyValuePair<string, object?>("route", "r" + i));
            _counter.Add(1, new KeyValuePair<string, object?>("route", "r" + i));
        }

        var lines = Lines();
        Assert.Equal(PrometheusText.MaxSeriesPerInstrument + 1, lines.Length);
        Assert.Contains("test_requests_total{otel_metric_overflow=\"true\"} " + (2 * extra), lines);
        Assert.Contains("test_requests_total{route=\"r0\"} 2", lines);
    }

    /// <summary>The line with its labels in name order, so that the assertion does not depend on tag order.</summary>
    private static string Sorted(string line)
    {
        var open = line.IndexOf('{', StringComparison.Ordinal);
        var close = line.IndexOf('}', StringComparison.Ordinal);
        var labels = line[(open + 1)..close].Split(',').Order(StringComparer.Ordinal);
        return line[..open] + "{" + string.Join(',', labels) + line[close..];
    }
}
