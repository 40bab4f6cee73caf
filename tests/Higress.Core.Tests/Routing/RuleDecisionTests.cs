using Higress.Core.Resources;
using Higress.Core.Plan;
using Higress.Core.Routing;

namespace Higress.Core.Tests.Routing;

/// <summary>The one reading of a rule's action and the one weighted picker, shared by the gateway and the explainer.</summary>
public sealed class RuleDecisionTests
{
    private static BackendPlan Backend(string? cluster, int weight, string? error = null) =>
        new(cluster, weight, HeaderModifier.None, HeaderModifier.None, error);

    private static RoutePlan Rule(RouteAction action) =>
        new("r", new ResourceKey(ResourceKinds.Route, "default", "r"), null, new RouteOrder(null, 0, 0), [], [], action);

    [Fact]
    public void The_picker_never_chooses_weight_zero_and_follows_the_weights()
    {
        var backends = new[] { Backend("a", 1), Backend("zero", 0), Backend("b", 3) };
        var picker = new BackendPicker(backends);
        var random = new Random(7);
        var counts = new Dictionary<string, int>();
        for (var i = 0; i < 4000; i++)
        {
            var chosen = picker.Pick(random)!.ClusterId!;
            counts[chosen] = counts.GetValueOrDefault(chosen) + 1;
        }

        Assert.False(counts.ContainsKey("zero"));
        Assert.InRange(counts["b"] / (double)counts["a"], 2.5, 3.5);
    }

    [Fact]
    public void The_same_seed_picks_the_same_sequence()
    {
        var picker = new BackendPicker([Backend("a", 1), Backend("b", 1), Backend("c", 1)]);
        var first = new Random(42);
        var second = new Random(42);
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(picker.PickIndex(first), picker.PickIndex(second));
        }
    }

    [Fact]
    public void Forwarding_without_a_usable_backend_fails_with_500()
    {
        var none = new ForwardAction([Backend("a", 0)]);
        var noBackend = RuleDecision.Decide(Rule(none), new BackendPicker(none), TestRouteRequest.Empty, new Random(0));
        Assert.Equal((RuleOutcome.Fail, 500), (noBackend.Outcome, noBackend.Status));
        Assert.Equal("invalid backend: " + RuleDecision.NoBackend, noBackend.Reason);

        var invalid = new ForwardAction([Backend(null, 1, "Service default/x not found")]);
        var invalidBackend = RuleDecision.Decide(Rule(invalid), new BackendPicker(invalid), TestRouteRequest.Empty, new Random(0));
        Assert.Equal(RuleOutcome.Fail, invalidBackend.Outcome);
        Assert.Equal("invalid backend: Service default/x not found", invalidBackend.Reason);
        Assert.Same(invalid.Backends[0], invalidBackend.Backend);
    }

    [Fact]
    public void Each_action_has_one_outcome()
    {
        var forward = new ForwardAction([Backend("a", 1)]);
        Assert.Equal(RuleOutcome.Forward, RuleDecision.Decide(Rule(forward), new BackendPicker(forward), TestRouteRequest.Empty, new Random(0)).Outcome);
        Assert.Equal((RuleOutcome.Redirect, 301), Outcome(new RedirectAction("https", null, null, null, 301)));
        Assert.Equal((RuleOutcome.DirectResponse, 503), Outcome(new DirectResponseAction(503, "down")));
        Assert.Equal((RuleOutcome.Fail, 500), Outcome(new FailAction(500, "no backendRefs")));
    }

    private static (RuleOutcome, int) Outcome(RouteAction action)
    {
        var decision = RuleDecision.Decide(Rule(action), null, TestRouteRequest.Empty, new Random(0));
        return (decision.Outcome, decision.Status);
    }
}
