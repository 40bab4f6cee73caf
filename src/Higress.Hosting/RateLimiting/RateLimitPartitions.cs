using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Higress.Core.Plan;

namespace Higress.Hosting.RateLimiting;

/// <summary>
/// The token buckets of one rule, one per key value, with bounded memory. Buckets refill on one timer per rule (not
/// one per bucket), each by the tokens of the time passed since its last refill; a bucket that is full again is evicted on that tick, because a full bucket is what a new one
/// would be. At most <c>cap</c> buckets exist: beyond it, new keys share one overflow bucket until evictions make room.
/// </summary>
internal sealed class RateLimitPartitions : IDisposable
{
    // Refilling more often than this buys nothing a client could see and costs a sweep over every bucket.
    private static readonly TimeSpan MinRefillPeriod = TimeSpan.FromMilliseconds(100);

    private readonly ConcurrentDictionary<string, TokenBucketRateLimiter> _partitions = new(StringComparer.Ordinal);
    private readonly TokenBucketRateLimiterOptions _options;
    private readonly int _cap;
    private readonly Action? _capReached;
    private readonly ITimer? _timer;
    private int _count;
    private int _capReported;

    public RateLimitPartitions(RateLimitPlan plan, int cap, TimeProvider? time, Action? capReached = null)
    {
        // One token per unit/requestsPerUnit, grouped so that the timer ticks at most every 100 ms.
        // In fractional ticks: above 10 million per second one token takes less than a TimeSpan tick.
        var perToken = (double)plan.UnitLength.Ticks / plan.RequestsPerUnit;
        var tokensPerTick = perToken >= MinRefillPeriod.Ticks ? 1 : (int)Math.Min(plan.RequestsPerUnit, Math.Ceiling(MinRefillPeriod.Ticks / perToken));
        RefillPeriod = TimeSpan.FromTicks((long)Math.Round(perToken * tokensPerTick));
        _options = new TokenBucketRateLimiterOptions
        {
            TokenLimit = plan.BucketSize,
            TokensPerPeriod = tokensPerTick,
            ReplenishmentPeriod = RefillPeriod,
            AutoReplenishment = false,
            QueueLimit = 0,
        };
        _cap = Math.Max(1, cap);
        _capReached = capReached;
        Shared = new TokenBucketRateLimiter(_options);
        Overflow = new TokenBucketRateLimiter(_options);
        _timer = time?.CreateTimer(static s => ((RateLimitPartitions)s!).Refill(), this, RefillPeriod, RefillPeriod);
    }

    /// <summary>The time between two refills of every bucket.</summary>
    public TimeSpan RefillPeriod { get; }

    /// <summary>Tokens added to a bucket per <see cref="RefillPeriod"/>.</summary>
    public int TokensPerRefill => _options.TokensPerPeriod;

    /// <summary>The bucket of requests without a key value (and of the <c>none</c> key).</summary>
    public TokenBucketRateLimiter Shared { get; }

    /// <summary>The bucket new keys share while the store is at its cap.</summary>
    public TokenBucketRateLimiter Overflow { get; }

    /// <summary>The number of keyed buckets now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The bucket of <paramref name="key"/>: <see cref="Shared"/> for null, <see cref="Overflow"/> at the cap.</summary>
    public TokenBucketRateLimiter Get(string? key)
    {
        if (key is null)
        {
            return Shared;
        }

        // Two rounds cover a racing add of the same key and a racing eviction of it.
        for (var round = 0; round < 2; round++)
        {
            if (_partitions.TryGetValue(key, out var existing))
            {
                return existing;
            }

            if (Interlocked.Increment(ref _count) > _cap)
            {
                Interlocked.Decrement(ref _count);
                if (Interlocked.Exchange(ref _capReported, 1) == 0)
                {
                    _capReached?.Invoke();
                }

                return Overflow;
            }

            // A bucket without auto-replenishment holds no timer, so a losing one is simply dropped.
            var created = new TokenBucketRateLimiter(_options);
            if (_partitions.TryAdd(key, created))
            {
                return created;
            }

            Interlocked.Decrement(ref _count);
        }

        return Overflow;
    }

    /// <summary>Tops every bucket up by the tokens of the time since its last refill; evicts the keyed buckets that are full.</summary>
    public void Refill()
    {
        Shared.TryReplenish();
        Overflow.TryReplenish();
        foreach (var (key, bucket) in _partitions)
        {
            bucket.TryReplenish();

            // A request that took this bucket just before the eviction spends a token of an orphan: it is admitted
            // as the new bucket would have admitted it, so the limit still holds within one token. A bucket is idle
            // exactly while it is full; asking that allocates nothing, unlike GetStatistics for every bucket per tick.
            if (bucket.IdleDuration is not null && _partitions.TryRemove(new KeyValuePair<string, TokenBucketRateLimiter>(key, bucket)))
            {
                Interlocked.Decrement(ref _count);
            }
        }
    }

    /// <summary>The time until <paramref name="tokens"/> more tokens are in a bucket (refills come in whole periods).</summary>
    public TimeSpan RefillTime(long tokens) =>
        tokens <= 0 ? TimeSpan.Zero : RefillPeriod * Math.Ceiling((double)tokens / TokensPerRefill);

    /// <summary>The whole seconds (at least 1) a client refused by <paramref name="lease"/> should wait: a <c>Retry-After</c>.</summary>
    public int RetryAfterSeconds(RateLimitLease lease) =>
        Math.Max(1, Seconds(lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : RefillTime(1)));

    /// <summary>A time in whole seconds, rounded up.</summary>
    public static int Seconds(TimeSpan time) => (int)Math.Min(int.MaxValue, Math.Ceiling(time.TotalSeconds));

    public void Dispose() => _timer?.Dispose();
}
