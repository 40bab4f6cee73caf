using Higress.Core.Plan;
using Higress.Hosting.Resilience;

namespace Higress.Hosting.Tests.Resilience;

/// <summary>The outlier-detection state machine on a clock that only moves when told to.</summary>
public sealed class OutlierDetectorTests
{
    private static readonly TimeSpan Base = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private static OutlierDetector Detector(ManualClock clock, int? errors = 3, int? gateway = null, int maxPercent = 100, int destinations = 3) =>
        new(new OutlierPlan(errors, gateway, Interval, Base, maxPercent), destinations, clock);

    [Fact]
    public void A_destination_is_ejected_at_exactly_the_threshold_and_a_success_resets_the_streak()
    {
        var clock = new ManualClock();
        var detector = Detector(clock);

        Assert.Null(detector.Record("a", TryOutcome.ServerError));
        Assert.Null(detector.Record("a", TryOutcome.ServerError));
        Assert.Null(detector.Record("a", TryOutcome.Success));
        Assert.Null(detector.Record("a", TryOutcome.ServerError));
        Assert.Null(detector.Record("a", TryOutcome.GatewayError));
        Assert.Equal(Base, detector.Record("a", TryOutcome.ServerError));
        Assert.Equal(1, detector.Ejected);

        // Tries that were in flight when it was ejected do not count.
        Assert.Null(detector.Record("a", TryOutcome.ServerError));
    }

    [Fact]
    public void The_ejection_time_grows_with_each_ejection_and_shrinks_again_per_interval_in_service()
    {
        var clock = new ManualClock();
        var detector = Detector(clock, errors: 1);

        Assert.Equal(Base, detector.Record("a", TryOutcome.ServerError));
        clock.Advance(Base);
        Assert.Equal(0, detector.Ejected);
        Assert.Equal(Base * 2, detector.Record("a", TryOutcome.ServerError));
        clock.Advance(Base * 2);
        Assert.Equal(Base * 3, detector.Record("a", TryOutcome.ServerError));

        // Back in service for two intervals: the multiplier drops from 3 to 1, so the next ejection is 2 × base.
        clock.Advance(Base * 3 + Interval * 2);
        Assert.Equal(Base * 2, detector.Record("a", TryOutcome.ServerError));
    }

    [Fact]
    public void The_ejection_time_stops_at_Envoys_maximum_of_300_seconds()
    {
        var clock = new ManualClock();
        var detector = Detector(clock, errors: 1);
        TimeSpan? length = null;
        for (var i = 0; i < 15; i++)
        {
            length = detector.Record("a", TryOutcome.ServerError);
            clock.Advance(length!.Value);
        }

        Assert.Equal(TimeSpan.FromSeconds(300), length);
    }

    [Fact]
    public void Gateway_errors_have_their_own_threshold_and_other_5xx_end_their_streak()
    {
        var clock = new ManualClock();
        var detector = Detector(clock, errors: null, gateway: 2);

        Assert.Null(detector.Record("a", TryOutcome.ServerError));
        Assert.Null(detector.Record("a", TryOutcome.ServerError));
        Assert.Null(detector.Record("a", TryOutcome.GatewayError));
        Assert.Null(detector.Record("a", TryOutcome.ServerError));
        Assert.Null(detector.Record("a", TryOutcome.GatewayError));
        Assert.Equal(Base, detector.Record("a", TryOutcome.GatewayError));
    }

    [Theory]
    [InlineData(10, 1)]
    [InlineData(34, 2)]
    [InlineData(100, 3)]
    [InlineData(0, 0)]
    public void Destinations_are_ejected_only_while_the_ejected_share_is_below_maxEjectionPercent(int maxPercent, int ejected)
    {
        var detector = Detector(new ManualClock(), errors: 1, maxPercent: maxPercent);

        var results = new[] { "a", "b", "c" }.Select(d => detector.Record(d, TryOutcome.ServerError)).ToList();

        Assert.Equal(ejected, results.Count(r => r is not null));
        Assert.Equal(ejected, detector.Ejected);
    }

    /// <summary>A clock that stands still until <see cref="Advance"/>.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
