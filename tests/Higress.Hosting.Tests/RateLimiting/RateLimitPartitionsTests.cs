using System.Globalization;
using Higress.Core.Plan;
using Higress.Core.Resources;
using Higress.Hosting.RateLimiting;
using Xunit.Abstractions;

namespace Higress.Hosting.Tests.RateLimiting;

/// <summary>The bounded bucket store: the cap holds, full buckets are evicted, new keys overflow into one bucket.</summary>
[Collection(nameof(RateLimitPartitionsTests))]
public sealed class RateLimitPartitionsTests(ITestOutputHelper output)
{
    private static readonly RateLimitPlan FivePerSecond = new(5, RateLimitUnit.Second, 0, RateLimitKey.Header, "x-key");

    [Fact]
    public void A_million_distinct_keys_keep_at_most_the_cap_of_buckets_under_400_bytes_each_and_the_rest_share_the_overflow_bucket()
    {
        const int cap = 100_000;
        var reported = 0;
        using var partitions = new RateLimitPartitions(FivePerSecond, cap, time: null, () => reported++);
        var keys = new string[1_000_000];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = i.ToString(CultureInfo.InvariantCulture);
        }

        var before = GC.GetTotalMemory(forceFullCollection: true);
        var overflowed = 0;
        foreach (var key in keys)
        {
            var bucket = partitions.Get(key);
            Assert.True(bucket.AttemptAcquire().IsAcquired || ReferenceEquals(bucket, partitions.Overflow));
            if (ReferenceEquals(bucket, partitions.Overflow))
            {
                overflowed++;
            }
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine($"{partitions.Count} buckets for {keys.Length} keys: {(after - before) / 1024.0 / 1024.0:F1} MiB, {(after - before) / (double)partitions.Count:F0} bytes per bucket");

        Assert.Equal(cap, partitions.Count);
        Assert.Equal(keys.Length - cap, overflowed);

        // The bound docs/rate-limiting.md states: under 400 bytes per bucket (about 260 measured), 40 MB at the cap.
        Assert.InRange(after - before, 0, cap * 400L);
        Assert.Equal(1, reported);
        GC.KeepAlive(keys);
    }

    [Fact]
    public void A_bucket_that_is_full_again_is_evicted_and_makes_room_at_the_cap()
    {
        using var partitions = new RateLimitPartitions(FivePerSecond, 1, time: null);
        Assert.True(partitions.Get("a").AttemptAcquire().IsAcquired);
        Assert.Same(partitions.Overflow, partitions.Get("b"));

        // Refills top the bucket up by the time passed; once full it is what a new bucket would be, and goes.
        for (var i = 0; i < 100 && partitions.Count > 0; i++)
        {
            Thread.Sleep(20);
            partitions.Refill();
        }

        Assert.Equal(0, partitions.Count);
        Assert.NotSame(partitions.Overflow, partitions.Get("b"));
        Assert.Equal(1, partitions.Count);
    }

    [Theory]
    [InlineData(5, RateLimitUnit.Second, 200, 1)]
    [InlineData(1000, RateLimitUnit.Second, 100, 100)]
    [InlineData(60, RateLimitUnit.Minute, 1000, 1)]
    [InlineData(1, RateLimitUnit.Day, 86_400_000, 1)]
    [InlineData(int.MaxValue, RateLimitUnit.Second, 100, 214_748_365)]
    public void Refills_add_requestsPerUnit_tokens_per_unit_at_most_every_100_ms(int requestsPerUnit, RateLimitUnit unit, long periodMs, int tokens)
    {
        using var partitions = new RateLimitPartitions(new RateLimitPlan(requestsPerUnit, unit, 0, RateLimitKey.None, null), 10, time: null);
        Assert.Equal(TimeSpan.FromMilliseconds(periodMs), partitions.RefillPeriod);
        Assert.Equal(tokens, partitions.TokensPerRefill);
    }
}

/// <summary>Runs the store's tests alone: the memory a million keys retain is measured on a quiet heap.</summary>
[CollectionDefinition(nameof(RateLimitPartitionsTests), DisableParallelization = true)]
public sealed class RateLimitPartitionsCollection;
