using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Higress.Hosting.Admin;

/// <summary>
/// Renders the <c>Higress*</c> meters in the Prometheus text format for <c>/metrics</c>: counters and up-down counters
/// as running sums, observable instruments as their current observation, histograms as <c>_count</c> and <c>_sum</c>.
/// </summary>
internal sealed class PrometheusText : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(string Name, string Labels), Series> _series = new();
    private readonly ConcurrentDictionary<string, (string Type, string Help)> _meta = new(StringComparer.Ordinal);

    public PrometheusText()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name.StartsWith("Higress", StringComparison.Ordinal))
            {
                var type = instrument switch
                {
                    Counter<long> or Counter<double> or ObservableCounter<long> or ObservableCounter<double> => "counter",
                    Histogram<long> or Histogram<double> => "summary",
                    _ => "gauge",
                };
                _meta[Sanitize(instrument.Name)] = (type, instrument.Description ?? instrument.Name);
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    public string Render()
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        foreach (var group in _series.GroupBy(s => s.Key.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var (type, help) = _meta.GetValueOrDefault(group.Key, ("gauge", group.Key));
            text.Append("# HELP ").Append(group.Key).Append(' ').Append(help).Append('\n');
            text.Append("# TYPE ").Append(group.Key).Append(' ').Append(type).Append('\n');
            foreach (var (key, series) in group.OrderBy(s => s.Key.Labels, StringComparer.Ordinal))
            {
                if (type == "summary")
                {
                    Line(text, key.Name + "_count", key.Labels, series.Count);
                    Line(text, key.Name + "_sum", key.Labels, series.Value);
                }
                else
                {
                    Line(text, key.Name, key.Labels, series.Value);
                }
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// Every series now, for <c>/stats</c>: name, type (<c>counter</c>, <c>gauge</c>, <c>summary</c>), labels in the
    /// Prometheus form (<c>{route="r"}</c>), value (the sum, for a summary) and count (summaries only).
    /// </summary>
    public IEnumerable<(string Name, string Type, string Labels, double Value, long Count)> Snapshot()
    {
        _listener.RecordObservableInstruments();
        foreach (var ((name, labels), series) in _series.OrderBy(s => s.Key.Name, StringComparer.Ordinal).ThenBy(s => s.Key.Labels, StringComparer.Ordinal))
        {
            yield return (name, _meta.GetValueOrDefault(name, ("gauge", name)).Item1, labels, series.Value, series.Count);
        }
    }

    public void Dispose() => _listener.Dispose();

    private static void Line(StringBuilder text, string name, string labels, double value) =>
        text.Append(name).Append(labels).Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new StringBuilder();
        if (tags.Length > 0)
        {
            labels.Append('{');
            for (var i = 0; i < tags.Length; i++)
            {
                if (i > 0)
                {
                    labels.Append(',');
                }

                var tagValue = Convert.ToString(tags[i].Value, CultureInfo.InvariantCulture) ?? string.Empty;
                labels.Append(Sanitize(tags[i].Key)).Append("=\"").Append(tagValue.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n")).Append('"');
            }

            labels.Append('}');
        }

        var series = _series.GetOrAdd((Sanitize(instrument.Name), labels.ToString()), _ => new Series());
        switch (instrument)
        {
            case ObservableGauge<long> or ObservableGauge<double> or ObservableGauge<int> or ObservableCounter<long> or ObservableCounter<double> or ObservableUpDownCounter<long>:
                series.Set(value);
                break;
            case Histogram<long> or Histogram<double>:
                series.Observe(value);
                break;
            default:
                series.Add(value);
                break;
        }
    }

    private static string Sanitize(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(chars[i]) && chars[i] != '_' && chars[i] != ':')
            {
                chars[i] = '_';
            }
        }

        return new string(chars);
    }

    private sealed class Series
    {
        private readonly Lock _lock = new();

        public double Value { get; private set; }

        public long Count { get; private set; }

        public void Add(double value)
        {
            lock (_lock)
            {
                Value += value;
            }
        }

        public void Set(double value)
        {
            lock (_lock)
            {
                Value = value;
            }
        }

        public void Observe(double value)
        {
            lock (_lock)
            {
                Value += value;
                Count++;
            }
        }
    }
}
