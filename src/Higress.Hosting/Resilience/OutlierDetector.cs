using Higress.Core.Plan;

namespace Higress.Hosting.Resilience;

/// <summary>How one try ended, as outlier detection counts it.</summary>
internal enum TryOutcome
{
    /// <summary>Any answer below 500: both error streaks end.</summary>
    Success,

    /// <summary>A 5xx other than 502, 503 and 504.</summary>
    ServerError,

    /// <summary>502, 503, 504, or no answer at all (connect failure, reset, timeout): counts as a 5xx too.</summary>
    GatewayError,
}

/// <summary>
/// The outlier-detection state machine of one cluster, Envoy's rules without its I/O: error streaks per destination,
/// ejection when a streak reaches its threshold and the ejected share is below <c>maxEjectionPercent</c>, ejection time
/// = <c>baseEjectionTime</c> × the destination's multiplier (capped at Envoy's 300 s, or the base if longer). The
/// multiplier grows by one per ejection and shrinks by one per <c>interval</c> the destination spends back in service.
/// </summary>
internal sealed class OutlierDetector(OutlierPlan plan, int destinations, TimeProvider time)
{
    private static readonly TimeSpan MaxEjectionTime = TimeSpan.FromSeconds(300);

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    /// <summary>
    /// Counts <paramref name="outcome"/> for <paramref name="destination"/>; returns how long to eject it when this try
    /// ejects it, else null. Tries that end while the destination is ejected (sent before, or in panic) do not count.
    /// </summary>
    public TimeSpan? Record(string destination, TryOutcome outcome)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (!_entries.TryGetValue(destination, out var entry))
            {
                entry = _entries[destination] = new Entry();
            }

            if (entry.EjectedUntil > now)
            {
                return null;
            }

            switch (outcome)
            {
                case TryOutcome.Success:
                    entry.ServerErrors = entry.GatewayErrors = 0;
                    return null;
                case TryOutcome.ServerError:
                    entry.ServerErrors++;
                    entry.GatewayErrors = 0;
                    break;
                default:
                    entry.ServerErrors++;
                    entry.GatewayErrors++;
                    break;
            }

            var tripped = entry.ServerErrors >= plan.Consecutive5xxErrors || entry.GatewayErrors >= plan.ConsecutiveGatewayErrors;
            if (!tripped || !MayEject(now))
            {
                return null;
            }

            entry.ServerErrors = entry.GatewayErrors = 0;
            entry.Multiplier = Math.Max(0, entry.Multiplier - Decay(entry, now)) + 1;
            var cap = plan.BaseEjectionTime > MaxEjectionTime ? plan.BaseEjectionTime : MaxEjectionTime;
            var length = entry.Multiplier >= cap.Ticks / plan.BaseEjectionTime.Ticks ? cap : plan.BaseEjectionTime * entry.Multiplier;
            entry.EjectedUntil = now + length;
            return length;
        }
    }

    /// <summary>Destinations ejected now.</summary>
    public int Ejected
    {
        get
        {
            var now = time.GetUtcNow();
            lock (_lock)
            {
                return _entries.Values.Count(e => e.EjectedUntil > now);
            }
        }
    }

    /// <summary>When <paramref name="destination"/>'s ejection ends, or null when it is in service.</summary>
    public DateTimeOffset? EjectedUntil(string destination)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            return _entries.TryGetValue(destination, out var entry) && entry.EjectedUntil > now ? entry.EjectedUntil : null;
        }
    }

    // Envoy: eject while the ejected share is below the maximum, so one destination can always go when the max is > 0.
    private bool MayEject(DateTimeOffset now) =>
        _entries.Values.Count(e => e.EjectedUntil > now) * 100L < (long)plan.MaxEjectionPercent * destinations;

    // Whole intervals spent back in service since the last ejection ended: each takes one off the multiplier.
    private long Decay(Entry entry, DateTimeOffset now) =>
        entry.Multiplier == 0 || plan.Interval <= TimeSpan.Zero ? 0 : (now - entry.EjectedUntil).Ticks / plan.Interval.Ticks;

    private sealed class Entry
    {
        public int ServerErrors;
        public int GatewayErrors;
        public long Multiplier;
        public DateTimeOffset EjectedUntil;
    }
}
