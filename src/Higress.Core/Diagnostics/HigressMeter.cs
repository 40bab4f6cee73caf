using System.Diagnostics.Metrics;
using Higress.Core.Routing;

namespace Higress.Core.Diagnostics;

/// <summary>
/// The gateway's one <see cref="Meter"/>, named <c>Higress</c>: every instrument of a gateway (plans, plugins,
/// regular expressions) is created on it, so a listener or exporter finds them all under one meter instance. A host
/// holds one (a DI singleton); it comes from the host's <see cref="IMeterFactory"/>, which scopes it to that host.
/// </summary>
internal sealed class HigressMeter : IDisposable
{
    /// <summary>The meter's name, as exporters select it.</summary>
    public const string Name = "Higress";

    private readonly bool _owned;

    /// <summary>Creates the meter from <paramref name="factory"/>, or directly when there is no DI (unit tests, the explainer).</summary>
    public HigressMeter(IMeterFactory? factory = null)
    {
        Meter = factory?.Create(Name) ?? new Meter(Name);
        _owned = factory is null;

        // The regex cache is shared by the whole process and has no host to hold a meter: it keeps a process-wide
        // count, reported here so that it appears beside the other instruments.
        Meter.CreateObservableCounter(
            RegexCache.TimeoutsCounterName,
            RegexCache.TimeoutCount,
            unit: "{match}",
            description: "Regular-expression matches that exceeded the match timeout and counted as no match (process-wide).");
    }

    /// <summary>The meter on which every gateway instrument is created.</summary>
    public Meter Meter { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        // A factory's meters are disposed with the factory.
        if (_owned)
        {
            Meter.Dispose();
        }
    }
}
