using Higress.Core.Plan;
using Higress.Core.Routing;

namespace Higress.Core.Tests.Routing;

/// <summary>The canary decision follows ingress-nginx's (and so Higress's): header, then cookie, then weight.</summary>
public sealed class CanaryPickerTests
{
    private static readonly BackendPlan Primary = new("primary", 1, HeaderModifier.None, HeaderModifier.None);
    private static readonly BackendPlan Canary = new("canary", 1, HeaderModifier.None, HeaderModifier.None);

    private static BackendPicker Picker(Func<CanaryPlan, CanaryPlan> configure) =>
        new(new ForwardAction([Primary]) { Canary = configure(new CanaryPlan([Canary])) });

    // Deterministic answers are checked over many rolls, so that a weight could not hide a wrong branch.
    private static string Pick(BackendPicker picker, params (string, string)[] headers)
    {
        var request = new TestRouteRequest(headers);
        var random = new Random(1);
        var chosen = Enumerable.Range(0, 200).Select(_ => picker.Pick(request, random)!.ClusterId!).Distinct().ToList();
        return Assert.Single(chosen);
    }

    [Theory]
    [InlineData("always", "canary")]
    [InlineData("never", "primary")]
    [InlineData("other", "primary")]
    [InlineData("Always", "primary")]
    public void The_header_alone_says_always_or_never(string value, string expected)
    {
        var picker = Picker(c => c with { Header = "x-canary" });

        Assert.Equal(expected, Pick(picker, ("x-canary", value)));
        Assert.Equal("primary", Pick(picker));
    }

    [Theory]
    [InlineData("v2", "canary")]
    [InlineData("v22", "primary")]
    [InlineData("always", "primary")]
    public void A_header_value_selects_only_that_value(string value, string expected) =>
        Assert.Equal(expected, Pick(Picker(c => c with { Header = "x-version", HeaderValue = "v2" }), ("x-version", value)));

    [Theory]
    [InlineData("user-17", "canary")]
    [InlineData("user-9", "canary")]
    [InlineData("xuser-1", "primary")]
    [InlineData("user-1x", "primary")]
    public void A_header_pattern_must_match_the_whole_value(string value, string expected) =>
        Assert.Equal(expected, Pick(Picker(c => c with { Header = "x-user", HeaderPattern = "user-[0-9]+" }), ("x-user", value)));

    [Theory]
    [InlineData("a=1; canary=always; b=2", "canary")]
    [InlineData("canary=never", "primary")]
    [InlineData("canary=maybe", "primary")]
    [InlineData("canary-x=always", "primary")]
    [InlineData("a=1, canary=always", "canary")]
    public void The_cookie_says_always_or_never(string cookies, string expected) =>
        Assert.Equal(expected, Pick(Picker(c => c with { Cookie = "canary" }), ("Cookie", cookies)));

    [Fact]
    public void The_header_beats_the_cookie_and_the_cookie_beats_the_weight()
    {
        var picker = Picker(c => c with { Header = "x-canary", Cookie = "canary", Weight = 100 });

        Assert.Equal("primary", Pick(picker, ("x-canary", "never"), ("Cookie", "canary=always")));
        Assert.Equal("canary", Pick(picker, ("x-canary", "always"), ("Cookie", "canary=never")));
        Assert.Equal("primary", Pick(picker, ("Cookie", "canary=never")));
        Assert.Equal("primary", Pick(picker, ("x-canary", "other"), ("Cookie", "canary=never")));
        Assert.Equal("canary", Pick(picker, ("x-canary", "other"), ("Cookie", "canary=other")));
    }

    [Fact]
    public void A_header_value_that_does_not_match_leaves_the_decision_to_the_cookie()
    {
        var picker = Picker(c => c with { Header = "x-version", HeaderValue = "v2", Cookie = "canary" });

        Assert.Equal("canary", Pick(picker, ("x-version", "v1"), ("Cookie", "canary=always")));
    }

    [Theory]
    [InlineData(10, 100)]
    [InlineData(30, 100)]
    [InlineData(1, 4)]
    public void The_weight_splits_within_three_points_over_2000_requests(int weight, int total)
    {
        var picker = Picker(c => c with { Weight = weight, WeightTotal = total });
        var random = new Random(11);
        var canary = Enumerable.Range(0, 2000).Count(_ => picker.Pick(TestRouteRequest.Empty, random)!.ClusterId == "canary");

        Assert.InRange(canary / 20.0, (100.0 * weight / total) - 3, (100.0 * weight / total) + 3);
    }

    [Fact]
    public void Weight_zero_and_full_weight_are_exact()
    {
        Assert.Equal("primary", Pick(Picker(c => c with { Weight = 0 })));
        Assert.Equal("canary", Pick(Picker(c => c with { Weight = 100 })));
        Assert.Equal("canary", Pick(Picker(c => c with { Weight = 7, WeightTotal = 7 })));
    }

    [Fact]
    public void The_canary_backends_split_by_their_own_weights()
    {
        var other = new BackendPlan("canary-b", 3, HeaderModifier.None, HeaderModifier.None);
        var picker = new BackendPicker(new ForwardAction([Primary]) { Canary = new CanaryPlan([Canary, other]) { Weight = 100 } });
        var random = new Random(3);
        var b = Enumerable.Range(0, 2000).Count(_ => picker.Pick(TestRouteRequest.Empty, random)!.ClusterId == "canary-b");

        Assert.InRange(b / 20.0, 72, 78);
    }
}
