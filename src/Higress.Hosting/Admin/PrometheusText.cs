using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Higress.Core.Diagnostics;

namespace Higress.Hosting.Admin;

/// <summary>
/// Renders this host's <c>Higress</c> meter (the <see cref="HigressMeter"/> instance, not every meter of that name in the
/// process) in the Prometheus text format for <c>/metrics</c>. OpenTelemetry names become Prometheus names as the
/// OpenTelemetry specification maps them (<see cref="PrometheusName"/>); counters are running sums, up-down counters
/// and gauges current values, histograms <c>_bucket</c>/<c>_sum</c>/<c>_count</c> on the instrument's advised bounds.
/// Each instrument keeps at most <see cref="MaxSeriesPerInstrument"/> label sets; further ones add to one series
/// labelled <c>otel_metric_overflow="true"</c>, as OpenTelemetry's cardinality limit does.
/// </summary>
internal sealed class PrometheusText : IDisposable
{
    /// <summary>The most label sets one instrument keeps (OpenTelemetry's default cardinality limit).</summary>
    public const int MaxSeriesPerInstrument = 2000;

    private const string OverflowLabels = "{otel_metric_overflow=\"true\"}";


    [ThreadStatic]
    private static StringBuilder? t_labels;

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentSeries> _instruments = new();

    public PrometheusText(HigressMeter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter.Meter))
            {
                var series = new InstrumentSeries(instrument);
                _instruments[instrument] = series;
                listener.EnableMeasurementEvents(instrument, series);
            }
        };
        _listener.MeasurementsCompleted = (instrument, _) => _instruments.TryRemove(instrument, out InstrumentSeries? _);
        _listener.SetMeasurementEventCallback<long>((_, v, tags, state) => ((InstrumentSeries)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<int>((_, v, tags, state) => ((InstrumentSeries)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<double>((_, v, tags, state) => ((InstrumentSeries)state!).Record(v, tags));
        _listener.Start();
    }

    public string Render()
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        foreach (var instrument in _instruments.Values.OrderBy(i => i.Name, StringComparer.Ordinal))
        {
            instrument.Render(text);
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
        foreach (var instrument in _instruments.Values.OrderBy(i => i.Name, StringComparer.Ordinal))
        {
            foreach (var (labels, value, count) in instrument.Values())
            {
                yield return (instrument.Name, instrument.StatsType, labels, value, count);
            }
        }
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>
    /// The Prometheus name of an OpenTelemetry instrument: characters outside <c>[a-zA-Z0-9_:]</c> become <c>_</c>, the
    /// unit is appended in its base-unit word (<c>s</c>: <c>_seconds</c>, <c>By</c>: <c>_bytes</c>; annotations such as
    /// <c>{request}</c> add nothing) and counters end in <c>_total</c>. A name that already carries its suffixes (the
    /// Prometheus-style names some instruments still use) is left as it is.
    /// </summary>
    public static string PrometheusName(string name, string? unit, bool counter)
    {
        var result = Sanitize(name);
        var unitWord = unit switch
        {
            "s" => "seconds",
            "ms" => "milliseconds",
            "By" => "bytes",
            _ => null,
        };
        if (unitWord is not null && !result.EndsWith("_" + unitWord, StringComparison.Ordinal) && !result.EndsWith("_" + unitWord + "_total", StringComparison.Ordinal))
        {
            result += "_" + unitWord;
        }

        return counter && !result.EndsWith("_total", StringComparison.Ordinal) ? result + "_total" : result;
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

    private static string Format(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : value.ToString("R", CultureInfo.InvariantCulture);

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return string.Empty;
        }

        var labels = t_labels ??= new StringBuilder();
        labels.Clear().Append('{');
        for (var i = 0; i < tags.Length; i++)
        {
            if (i > 0)
            {
                labels.Append(',');
            }

            var value = Convert.ToString(tags[i].Value, CultureInfo.InvariantCulture) ?? string.Empty;
            labels.Append(Sanitize(tags[i].Key)).Append("=\"").Append(value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n")).Append('"');
        }

        return labels.Append('}').ToString();
    }

    private enum Kind
    {
        Sum,
        Gauge,
        Histogram,
    }

    /// <summary>One instrument: its Prometheus name and type, and its series by label set.</summary>
    private sealed class InstrumentSeries
    {
        // The series by their Prometheus labels; and the same series by the measurement's tags themselves, looked up
        // from the span the listener hands over, so that a measurement of a known label set allocates nothing. Two tag
        // sets that print alike (200 and "200") share one series, as one label set must.
        private readonly ConcurrentDictionary<string, Series> _byLabels = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<TagSet, Series> _series = new(TagSetComparer.Instance);
        private readonly ConcurrentDictionary<TagSet, Series>.AlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>> _lookup;
        private readonly Kind _kind;
        private readonly bool _observable;
        private readonly double[] _bounds = [];
        private readonly string _help;
        private readonly string _type;

        public InstrumentSeries(Instrument instrument)
        {
            _lookup = _series.GetAlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>>();
            var counter = instrument is Counter<long> or Counter<int> or Counter<double> or ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double>;
            _observable = instrument.IsObservable;
            switch (instrument)
            {
                case Histogram<double> histogram:
                    _kind = Kind.Histogram;
                    _bounds = [.. histogram.Advice?.HistogramBucketBoundaries ?? MetricNames.DurationBuckets];
                    break;
                case Histogram<long> histogram:
                    _kind = Kind.Histogram;
                    _bounds = histogram.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray() ?? [.. MetricNames.DurationBuckets];
                    break;
                default:
                    _kind = counter || instrument is UpDownCounter<long> or UpDownCounter<int> or UpDownCounter<double> ? Kind.Sum : Kind.Gauge;
                    break;
            }

            Name = PrometheusName(instrument.Name, instrument.Unit, counter);
            _type = _kind == Kind.Histogram ? "histogram" : counter ? "counter" : "gauge";
            _help = (instrument.Description ?? instrument.Name).Replace("\\", "\\\\").Replace("\n", "\\n");
        }

        public string Name { get; }

        /// <summary>The type <c>/stats</c> names: <c>counter</c>, <c>gauge</c>, or <c>summary</c> for a histogram.</summary>
        public string StatsType => _kind == Kind.Histogram ? "summary" : _type;

        /// <summary>Each series: its labels, its value (a histogram's sum) and its count (histograms only).</summary>
        public IEnumerable<(string Labels, double Value, long Count)> Values()
        {
            foreach (var series in _byLabels.Values.OrderBy(s => s.Labels, StringComparer.Ordinal))
            {
                var (sum, count, _) = series.Snapshot();
                yield return (series.Labels, sum, count);
            }
        }

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (!_lookup.TryGetValue(tags, out var series))
            {
                series = SeriesFor(tags);
            }

            if (_kind == Kind.Histogram)
            {
                series.Observe(value, _bounds);
            }
            else if (_observable || _kind == Kind.Gauge)
            {
                series.Set(value);
            }
            else
            {
                series.Add(value);
            }
        }

        private Series SeriesFor(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = Labels(tags);
            if (!_byLabels.TryGetValue(labels, out var series))
            {
                series = _byLabels.Count < MaxSeriesPerInstrument
                    ? _byLabels.GetOrAdd(labels, static (l, bounds) => new Series(bounds, l), _bounds.Length)
                    : _byLabels.GetOrAdd(OverflowLabels, static (l, bounds) => new Series(bounds, l), _bounds.Length);
            }

            // Past the limit, new tag sets are not remembered: they keep landing in the overflow series by their text.
            if (!ReferenceEquals(series.Labels, OverflowLabels) || labels == OverflowLabels)
            {
                _series.TryAdd(TagSet.Create(tags), series);
            }

            return series;
        }

        public void Render(StringBuilder text)
        {
            text.Append("# HELP ").Append(Name).Append(' ').Append(_help).Append('\n');
            text.Append("# TYPE ").Append(Name).Append(' ').Append(_type).Append('\n');
            foreach (var series in _byLabels.Values.OrderBy(s => s.Labels, StringComparer.Ordinal))
            {
                var labels = series.Labels;
                if (_kind != Kind.Histogram)
                {
                    text.Append(Name).Append(labels).Append(' ').Append(Format(series.Value)).Append('\n');
                    continue;
                }

                var (sum, count, buckets) = series.Snapshot();
                var prefix = labels.Length == 0 ? "{" : labels[..^1] + ",";
                long cumulative = 0;
                for (var i = 0; i <= _bounds.Length; i++)
                {
                    cumulative += buckets[i];
                    var le = i < _bounds.Length ? Format(_bounds[i]) : "+Inf";
                    text.Append(Name).Append("_bucket").Append(prefix).Append("le=\"").Append(le).Append("\"} ").Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
                }

                text.Append(Name).Append("_sum").Append(labels).Append(' ').Append(Format(sum)).Append('\n');
                text.Append(Name).Append("_count").Append(labels).Append(' ').Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }
    }

    private sealed class Series(int bounds, string labels)
    {
        private readonly Lock _lock = new();

        /// <summary>The label set in the Prometheus form, <c>{route="r"}</c>, or empty.</summary>
        public string Labels { get; } = labels;
        private readonly long[] _buckets = new long[bounds + 1];
        private long _count;

        public double Value { get; private set; }

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

        public void Observe(double value, double[] bounds)
        {
            var bucket = 0;
            while (bucket < bounds.Length && value > bounds[bucket])
            {
                bucket++;
            }

            lock (_lock)
            {
                Value += value;
                _count++;
                _buckets[bucket]++;
            }
        }

        public (double Sum, long Count, long[] Buckets) Snapshot()
        {
            lock (_lock)
            {
                return (Value, _count, (long[])_buckets.Clone());
            }
        }
    }

    /// <summary>One label set: the tags as a measurement carried them, in their order, with their hash.</summary>
    private sealed class TagSet(KeyValuePair<string, object?>[] tags, int hash)
    {
        public KeyValuePair<string, object?>[] Tags { get; } = tags;

        public int Hash { get; } = hash;

        public static TagSet Create(ReadOnlySpan<KeyValuePair<string, object?>> tags) => new(tags.ToArray(), HashOf(tags));

        public static int HashOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var hash = new HashCode();
            foreach (var tag in tags)
            {
                hash.Add(tag.Key, StringComparer.Ordinal);
                hash.Add(tag.Value);
            }

            return hash.ToHashCode();
        }

        public bool SameAs(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.Length != Tags.Length)
            {
                return false;
            }

            for (var i = 0; i < tags.Length; i++)
            {
                if (!string.Equals(tags[i].Key, Tags[i].Key, StringComparison.Ordinal) || !Equals(tags[i].Value, Tags[i].Value))
                {
                    return false;
                }
            }

            return true;
        }
    }

    private sealed class TagSetComparer : IEqualityComparer<TagSet>, IAlternateEqualityComparer<ReadOnlySpan<KeyValuePair<string, object?>>, TagSet>
    {
        public static readonly TagSetComparer Instance = new();

        public bool Equals(TagSet? x, TagSet? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.Hash == y.Hash && x.SameAs(y.Tags));

        public int GetHashCode(TagSet obj) => obj.Hash;

        public bool Equals(ReadOnlySpan<KeyValuePair<string, object?>> alternate, TagSet other) => other.SameAs(alternate);

        public int GetHashCode(ReadOnlySpan<KeyValuePair<string, object?>> alternate) => TagSet.HashOf(alternate);

        public TagSet Create(ReadOnlySpan<KeyValuePair<string, object?>> alternate) => TagSet.Create(alternate);
    }
}
