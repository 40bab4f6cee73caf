using Higress.Core.Plan;

namespace Higress.Core.Routing;

/// <summary>
/// What a matched rule does for one request: the one reading of <see cref="RouteAction"/> that the gateway executes
/// and the explainer describes, so that the two cannot disagree.
/// </summary>
/// <param name="Outcome">Forward, or which local answer.</param>
/// <param name="Status">The status of a local answer; 0 when forwarding.</param>
/// <param name="Action">The rule's action.</param>
/// <param name="Backend">The chosen backend of a forwarding rule, or null.</param>
/// <param name="Reason">Why a <see cref="RuleOutcome.Fail"/> answers as it does, or null.</param>
internal readonly record struct RuleDecision(RuleOutcome Outcome, int Status, RouteAction Action, BackendPlan? Backend = null, string? Reason = null)
{
    /// <summary>The reason given when a forwarding rule has no backend to choose.</summary>
    public const string NoBackend = "the rule has no backend with a positive weight";

    /// <summary>Decides for <paramref name="route"/>, choosing a backend with <paramref name="picker"/> and <paramref name="random"/>.</summary>
    /// <typeparam name="TRequest">The request view (a struct in the gateway, so nothing is boxed).</typeparam>
    /// <param name="route">The matched rule.</param>
    /// <param name="picker">The rule's backend picker (forwarding rules only).</param>
    /// <param name="request">The request (canary rules look at its headers and cookies).</param>
    /// <param name="random">The random source for the weighted choice.</param>
    public static RuleDecision Decide<TRequest>(RoutePlan route, BackendPicker? picker, in TRequest request, Random random)
        where TRequest : IRouteRequest => route.Action switch
    {
        ForwardAction forward => Forward(forward, picker?.Pick(request, random)),
        RedirectAction redirect => new(RuleOutcome.Redirect, redirect.StatusCode, redirect),
        DirectResponseAction direct => new(RuleOutcome.DirectResponse, direct.StatusCode, direct),
        FailAction fail => new(RuleOutcome.Fail, fail.StatusCode, fail, Reason: fail.Reason),
        var other => new(RuleOutcome.Fail, 500, other, Reason: $"unsupported route action {other.GetType().Name}"),
    };

    // A backend with its own RequestRedirect filter answers the redirect when chosen (Gateway API backend filters).
    private static RuleDecision Forward(ForwardAction forward, BackendPlan? backend) => backend switch
    {
        { Redirect: { } redirect } => new(RuleOutcome.Redirect, redirect.StatusCode, redirect, backend),
        { ClusterId: not null } => new(RuleOutcome.Forward, 0, forward, backend),
        _ => new(RuleOutcome.Fail, 500, forward, backend, "invalid backend: " + (backend?.Error ?? NoBackend)),
    };
}
