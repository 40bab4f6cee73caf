using Higress.Core.Plan;

namespace Higress.Core.Explain;

/// <summary>What the gateway does with a request, without sending it anywhere.</summary>
public sealed record RouteExplanation
{
    /// <summary>The status the gateway itself answers with (404, 500, a redirect or direct response), or null when it forwards.</summary>
    public int? LocalStatus { get; init; }

    /// <summary>A one-line reason, e.g. <c>no route matched</c>.</summary>
    public string Summary { get; init; } = string.Empty;

    /// <summary>The listener the request arrived on.</summary>
    public string? Listener { get; init; }

    /// <summary>The object whose rule matched, e.g. <c>HTTPRoute default/web</c>.</summary>
    public string? Object { get; init; }

    /// <summary>The matched rule's id.</summary>
    public string? RuleId { get; init; }

    /// <summary>The matched rule's name.</summary>
    public string? RuleName { get; init; }

    /// <summary>The index of the match that applied within the rule.</summary>
    public int? MatchIndex { get; init; }

    /// <summary>The matched rule.</summary>
    public RoutePlan? Rule { get; init; }

    /// <summary>The plugins that run, in order.</summary>
    public IReadOnlyList<PluginBinding> Plugins { get; init; } = [];

    /// <summary>The rule's backends with their shares.</summary>
    public IReadOnlyList<BackendExplanation> Backends { get; init; } = [];

    /// <summary>The backend chosen for this explanation (by weight, with the explainer's random source).</summary>
    public BackendExplanation? ChosenBackend { get; init; }

    /// <summary>The destination chosen within the backend's cluster (the first, as round-robin would start).</summary>
    public string? ChosenDestination { get; init; }

    /// <summary>The path the upstream sees after rewrites.</summary>
    public string? UpstreamPath { get; init; }

    /// <summary>The Host the upstream sees after rewrites.</summary>
    public string? UpstreamHost { get; init; }

    /// <summary>The redirect location, for redirect rules.</summary>
    public string? RedirectLocation { get; init; }
}
