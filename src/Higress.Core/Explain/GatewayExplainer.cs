using Higress.Core.Plan;
using Higress.Core.Plugins;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;
using Higress.Core.Routing;
using Higress.Core.Translation;
using Microsoft.Extensions.Configuration;

namespace Higress.Core.Explain;

/// <summary>
/// Explains routing for users' own unit tests: a request in; the matched object, rule, filters, plugins, cluster and
/// chosen destination out. It runs the same translator and matcher as the gateway, with no network.
/// </summary>
public sealed class GatewayExplainer
{
    private readonly RouteTable _table;
    private readonly Dictionary<string, ClusterPlan> _clusters;
    private readonly Random _random;

    /// <summary>Explains the plan translated from <paramref name="snapshot"/>.</summary>
    /// <param name="snapshot">The objects.</param>
    /// <param name="options">Translator options.</param>
    /// <param name="catalog">Plugins, built-ins when null.</param>
    /// <param name="seed">Seed for weighted backend choice, for repeatable tests.</param>
    public GatewayExplainer(ResourceSnapshot snapshot, TranslatorOptions? options = null, PluginCatalog? catalog = null, int seed = 0)
        : this(Translator.Translate(snapshot, options, catalog), seed)
    {
    }

    /// <summary>Explains the plan of a translation already made, e.g. the one a running gateway serves.</summary>
    /// <param name="translation">The translation.</param>
    /// <param name="seed">Seed for weighted backend choice, for repeatable tests.</param>
    public GatewayExplainer(TranslationResult translation, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(translation);
        Translation = translation;
        _table = RouteTable.Build(Translation.Plan);
        _clusters = Translation.Plan.Clusters.ToDictionary(c => c.Id, StringComparer.Ordinal);
        _random = new Random(seed);
    }

    /// <summary>The translation behind the explanations (plan, statuses, diagnostics).</summary>
    public TranslationResult Translation { get; }

    /// <summary>
    /// Parses objects as a <c>ConfigDir</c> file holds them (the same parser): YAML, one or many documents, or JSON (an
    /// object, an array of objects, or a <c>List</c>), and explains their plan.
    /// </summary>
    /// <exception cref="ArgumentException">The text has errors; the message lists them.</exception>
    public static GatewayExplainer FromYaml(string yaml, TranslatorOptions? options = null, PluginCatalog? catalog = null) =>
        FromParsed(ResourceParser.Parse(yaml, new ResourceOrigin("explain", "inline.yaml", 0, 0)), nameof(yaml), options, catalog);

    /// <summary>
    /// Explains the objects a <c>Higress</c> configuration section declares (<c>Resources</c> and the shorthand
    /// <c>Backends</c> and <c>Routes</c>), read by the same code as the host's appsettings source:
    /// <c>GatewayExplainer.FromConfiguration(configuration.GetSection("Higress"))</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The section has errors; the message lists them.</exception>
    public static GatewayExplainer FromConfiguration(IConfiguration higressSection, TranslatorOptions? options = null, PluginCatalog? catalog = null) =>
        FromParsed(ConfigurationResources.Read(higressSection, "explain"), nameof(higressSection), options, catalog);

    private static GatewayExplainer FromParsed(ParseResult parsed, string parameter, TranslatorOptions? options, PluginCatalog? catalog)
    {
        var errors = parsed.Diagnostics.Where(d => d.IsError).ToList();
        if (errors.Count > 0)
        {
            throw new ArgumentException("The configuration has errors:\n" + string.Join('\n', errors), parameter);
        }

        return new GatewayExplainer(new ResourceSnapshot(parsed.Resources, parsed.Diagnostics), options, catalog);
    }

    /// <summary>Explains one request.</summary>
    public RouteExplanation Explain(ExplainRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = new Uri(request.Url, UriKind.Absolute);
        var view = new ExplainRouteRequest(request, uri);
        var listener = _table.FindListener(view.LocalPort, view.Host);
        var match = _table.Match(view);
        if (match is null)
        {
            return new RouteExplanation
            {
                LocalStatus = 404,
                Listener = listener?.Id,
                Summary = listener is null ? $"no listener serves port {view.LocalPort} for host {view.Host}" : "no route matched",
            };
        }

        var route = match.Route;
        var result = new RouteExplanation
        {
            Listener = match.Listener.Id,
            Object = route.Source.ToString(),
            RuleId = route.Id,
            RuleName = route.RuleName,
            MatchIndex = match.MatchIndex,
            Rule = route,
            Plugins = route.Plugins,
        };
        var decision = RuleDecision.Decide(route, route.Action is ForwardAction forward ? new BackendPicker(forward) : null, view, _random);
        var local = decision.Outcome == RuleOutcome.Forward ? (int?)null : decision.Status;
        switch (decision.Action)
        {
            case ForwardAction forwardAction:
                // The canary's backends are listed after the rule's own; each group's shares are among itself.
                var backends = Backends(forwardAction.Backends);
                var all = forwardAction.Backends;
                if (forwardAction.Canary is { } canary)
                {
                    backends.AddRange(Backends(canary.Backends));
                    all = [.. all, .. canary.Backends];
                }

                var chosen = decision.Backend is { } plan ? backends[IndexOf(all, plan)] : null;
                var rewrite = decision.Backend?.Rewrite ?? route.Rewrite;
                var path = rewrite?.Path is { } p ? PathRewrite.Apply(view.Path, p, match) : view.Path;
                return result with
                {
                    LocalStatus = local,
                    Summary = decision.Reason ?? $"forwarded to {chosen!.ClusterId}",
                    Backends = backends,
                    ChosenBackend = chosen,
                    ChosenDestination = chosen?.Destinations.FirstOrDefault(),
                    UpstreamPath = path,
                    UpstreamHost = rewrite?.Hostname ?? uri.Authority,
                };
            case RedirectAction redirect:
                return result with
                {
                    LocalStatus = local,
                    Summary = "redirect",
                    RedirectLocation = RedirectLocation.Build(uri.Scheme, uri.Authority, view.Path, uri.Query, redirect, match),
                };
            case DirectResponseAction:
                return result with { LocalStatus = local, Summary = "direct response" };
            default:
                return result with { LocalStatus = local, Summary = decision.Reason ?? string.Empty };
        }
    }

    private static int IndexOf(EquatableArray<BackendPlan> backends, BackendPlan chosen)
    {
        for (var i = 0; i < backends.Count; i++)
        {
            if (ReferenceEquals(backends[i], chosen))
            {
                return i;
            }
        }

        return -1;
    }

    private List<BackendExplanation> Backends(EquatableArray<BackendPlan> group)
    {
        var total = group.Where(b => b.Weight > 0).Sum(b => (double)b.Weight);
        return group.Select(b => new BackendExplanation(
            b.ClusterId,
            b.Weight,
            total > 0 && b.Weight > 0 ? b.Weight / total : 0,
            b.ClusterId is not null && _clusters.TryGetValue(b.ClusterId, out var cluster) ? cluster.Destinations.Select(d => d.Address).ToList() : [],
            b.Error)).ToList();
    }

    private readonly struct ExplainRouteRequest(ExplainRequest request, Uri uri) : IRouteRequest
    {
        public int LocalPort => uri.Port;

        public string Host => request.Headers.TryGetValue("Host", out var host) ? host : uri.Authority;

        public string Path => Uri.UnescapeDataString(uri.AbsolutePath);

        public string Method => request.Method;

        public string QueryString => uri.Query;

        public bool TryGetHeader(string name, out string value)
        {
            foreach (var (key, v) in request.Headers)
            {
                if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
                {
                    value = v;
                    return true;
                }
            }

            value = string.Empty;
            return false;
        }
    }
}
