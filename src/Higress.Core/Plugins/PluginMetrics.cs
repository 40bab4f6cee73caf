using System.Diagnostics.Metrics;
using Higress.Core.Diagnostics;
using Higress.Core.Resources;

namespace Higress.Core.Plugins;

/// <summary>The plugin instruments on the <c>Higress</c> meter.</summary>
internal sealed class PluginMetrics
{
    public const string ErrorsCounterName = MetricNames.PluginFailures;

    private readonly Counter<long> _errors;

    public PluginMetrics(HigressMeter meter)
    {
        _errors = meter.Meter.CreateCounter<long>(ErrorsCounterName, unit: "{error}", description: "Plugin handlers that threw or could not be configured, by plugin.");
    }

    public void PluginFailed(string plugin, string stage, FailStrategy strategy) =>
        _errors.Add(
            1,
            new KeyValuePair<string, object?>("plugin", plugin),
            new KeyValuePair<string, object?>("stage", stage),
            new KeyValuePair<string, object?>("fail_strategy", strategy == FailStrategy.FailOpen ? "FAIL_OPEN" : "FAIL_CLOSE"));
}
