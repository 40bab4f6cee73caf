using System.Reflection;
using OpenTelemetry.Trace;

namespace Higress.Hosting.Telemetry;

/// <summary>
/// Whether a span of the gateway would reach anything. An OpenTelemetry tracer provider that selects the <c>Higress</c>
/// source but has no processor (no exporter was configured: <c>WithTelemetry()</c> with its defaults) still samples
/// every span, and the span, its tags and its ids are then made per request for nobody. This tells that case apart.
/// Settings that ask for this gateway's part in traces (<c>SamplingRatio</c> or <c>Propagators</c>) keep the spans
/// without an exporter: the gateway then still starts traces and propagates its own context to the backends.
/// </summary>
/// <remarks>
/// OpenTelemetry does not say publicly whether a provider has processors; its SDK keeps them in a non-public
/// <c>Processor</c> property, read here by reflection. Where that property is missing (another SDK version or
/// provider), or the host has no OpenTelemetry provider (a plain <see cref="System.Diagnostics.ActivityListener"/>
/// listens), spans are made as before. The answer is read again every second, so a processor added to a running
/// provider (<c>TracerProvider.AddProcessor</c>) is seen.
/// </remarks>
internal sealed class SpanSinks(IServiceProvider services, HigressTelemetryOptions settings)
{
    private readonly bool _asked = settings.SamplingRatio is not null || settings.Propagators.Length > 0;

    private const long RecheckMilliseconds = 1_000;

    private Func<bool>? _check;
    private volatile bool _exported = true;
    private long _nextCheck;

    /// <summary>
    /// False only when the host's OpenTelemetry tracer provider is known to have no processor and the settings do not
    /// ask for spans.
    /// </summary>
    public bool Exported
    {
        get
        {
            if (_asked)
            {
                return true;
            }

            var now = Environment.TickCount64;
            if (now >= Volatile.Read(ref _nextCheck))
            {
                Volatile.Write(ref _nextCheck, now + RecheckMilliseconds);
                _check ??= Check(services.GetService(typeof(TracerProvider)) as TracerProvider);
                _exported = _check();
            }

            return _exported;
        }
    }

    private static Func<bool> Check(TracerProvider? provider)
    {
        var processor = provider?.GetType().GetProperty("Processor", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
        if (provider is null || processor is null || processor.GetIndexParameters().Length != 0)
        {
            return static () => true;
        }

        return () => processor.GetValue(provider) is not null;
    }
}
