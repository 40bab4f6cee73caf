using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Higress.Core.Diagnostics;
using Higress.Core.Plugins;
using Higress.Core.Routing;
using Higress.Hosting.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace Higress.Hosting.Tests.Diagnostics;

public class HigressMeterTests
{
    [Fact]
    public void Every_instrument_of_a_host_is_on_its_one_Higress_meter()
    {
        var services = new ServiceCollection().AddMetrics();
        services.AddHigress(_ => { });
        using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IMeterFactory>();
        var instruments = new ConcurrentBag<Instrument>();
        using var listener = new MeterListener
        {
            // Other tests' hosts publish instruments in this process too: keep this host's (its factory is the scope).
            InstrumentPublished = (instrument, _) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    instruments.Add(instrument);
                }
            },
        };

        _ = provider.GetRequiredService<HigressMetrics>();
        _ = provider.GetRequiredService<IPluginChainFactory>();
        listener.Start();

        var meter = Assert.Single(instruments.Select(i => i.Meter).Distinct());
        Assert.Same(provider.GetRequiredService<HigressMeter>().Meter, meter);
        Assert.Equal(HigressMeter.Name, meter.Name);
        Assert.Subset(
            instruments.Select(i => i.Name).ToHashSet(StringComparer.Ordinal),
            new HashSet<string>(StringComparer.Ordinal)
            {
                MetricNames.ConfigApplies, MetricNames.ConfigRevision, MetricNames.ConfigErrors,
                PluginMetrics.ErrorsCounterName, RegexCache.TimeoutsCounterName,
            });
    }
}
