using Higress.Hosting.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace Higress.Hosting.Tests.Runtime;

/// <summary>A collection is scheduled only after a plan drops at least half of the objects, and at least 1,000.</summary>
public sealed class MemoryReclaimerTests
{
    [Theory]
    [InlineData(20_000, 100, true)]
    [InlineData(2_000, 1_000, true)]
    [InlineData(2_000, 1_001, false)]
    [InlineData(1_500, 600, false)]
    [InlineData(100, 20_000, false)]
    public void Schedules_a_collection_only_after_a_large_shrink(int before, int after, bool scheduled)
    {
        var time = new RecordingTimeProvider();
        using var reclaimer = new MemoryReclaimer(time, NullLogger.Instance);

        reclaimer.Read(before);
        reclaimer.Read(after);

        Assert.Equal(scheduled ? 1 : 0, time.Timers);
    }

    [Fact]
    public void The_first_plan_schedules_nothing()
    {
        var time = new RecordingTimeProvider();
        using var reclaimer = new MemoryReclaimer(time, NullLogger.Instance);

        reclaimer.Read(0);

        Assert.Equal(0, time.Timers);
    }

    private sealed class RecordingTimeProvider : TimeProvider
    {
        public int Timers { get; private set; }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Timers++;
            return TimeProvider.System.CreateTimer(_ => { }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }
}
