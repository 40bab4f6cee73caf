using Higress.Core.Balancing;

namespace Higress.Core.Tests.Balancing;

/// <summary>Weighted round robin, weighted random and weighted least request.</summary>
public sealed class WeightedScheduleTests
{
    [Fact]
    public void Round_robin_gives_exact_shares_interleaved()
    {
        var schedule = WeightedSchedule.Build([1, 2, 7]);
        var picks = Enumerable.Range(0, 10).Select(_ => schedule.Next()).ToArray();

        Assert.Equal(1, picks.Count(p => p == 0));
        Assert.Equal(2, picks.Count(p => p == 1));
        Assert.Equal(7, picks.Count(p => p == 2));

        // Smooth: the heavy member never takes more than three turns in a row.
        Assert.DoesNotContain(Enumerable.Range(0, 7), i => picks.Skip(i).Take(4).All(p => p == 2));
    }

    [Fact]
    public void Round_robin_skips_weight_0_and_scales_large_weights()
    {
        var schedule = WeightedSchedule.Build([0, 1_000_000, 3_000_000]);
        var picks = Enumerable.Range(0, 4000).Select(_ => schedule.Next()).ToArray();

        Assert.DoesNotContain(0, picks);
        Assert.InRange(picks.Count(p => p == 2), 2990, 3010);
        Assert.Equal(-1, WeightedSchedule.Build([0, 0]).Next());
    }

    [Fact]
    public void Random_follows_the_weights()
    {
        var choice = WeightedChoice.Build([1, 0, 3]);
        var random = new Random(42);
        var counts = new int[3];
        for (var i = 0; i < 4000; i++)
        {
            counts[choice.Pick(random.NextDouble())]++;
        }

        Assert.Equal(0, counts[1]);
        Assert.InRange(counts[2] / 4000.0, 0.72, 0.78);
        Assert.Equal(0, choice.Pick(0));
        Assert.Equal(2, choice.Pick(0.9999));
        Assert.Equal(-1, WeightedChoice.Build([0]).Pick(0.5));
    }

    [Fact]
    public void Least_request_divides_each_weight_by_its_active_requests_plus_one()
    {
        int[] weights = [1, 3];
        int[] idle = [0, 0];
        int[] busy = [0, 5];
        var random = new Random(7);
        int Share(int[] active) => Enumerable.Range(0, 4000).Count(_ => WeightedChoice.PickLeastLoaded(weights, active.Select((a, i) => (a, i)).ToArray(), static m => m.a, random.NextDouble()) == 1);

        // Idle: 3/4 to the heavy member. Busy with 5: 3/6 = 0.5 against 1, so 1/3 to it.
        Assert.InRange(Share(idle) / 4000.0, 0.72, 0.78);
        Assert.InRange(Share(busy) / 4000.0, 0.30, 0.37);
    }
}
