using Higress.Core.Plan;
using Higress.Core.Plugins.BuiltIn.Cors;
using Higress.Core.Resources;
using Higress.Core.Translation.Plugins;
using NativeMatch = Higress.Core.Resources.RouteMatch;
using NativeRule = Higress.Core.Resources.RouteRule;
using PlanRouteMatch = Higress.Core.Plan.RouteMatch;

namespace Higress.Core.Translation;

/// <summary>Translates native Routes and Gateway inline routes (Istio VirtualService <c>http[]</c> shape) into rules.</summary>
internal sealed class NativeRouteTranslator(TranslationContext context, RouteAttacher attacher, BackendResolver backends, RulePlugins plugins)
{
    /// <summary>Why a rule without a destination fails on a gateway listener in sidecar mode (on the inbound port it forwards to the app).</summary>
    public const string InboundOnly = "the rule has no destination, so it forwards only on the sidecar's inbound port";

    public void Translate(Route route, List<RoutePlan> output)
    {
        var status = context.Status(route);
        var hosts = route.Spec.Hosts;
        if (route.Spec.Http.IsEmpty && !(route.Spec.Tcp.IsEmpty && route.Spec.Tls.IsEmpty))
        {
            // Only L4 rules: StreamRouteTranslator attaches them.
            return;
        }

        var attachments = attacher.ByGatewayNames(route, route.Spec.Gateways, hosts, status);
        var ok = true;
        for (var i = 0; i < route.Spec.Http.Count; i++)
        {
            var id = $"Route/{route.Namespace}/{route.Name}/http/{i}";
            if (TranslateRule(route, route.Spec.Http[i], $"spec.http[{i}]", id, i, hosts, attachments, ref ok) is { } plan)
            {
                output.Add(plan);
            }
        }

        if (ok)
        {
            status.SetAllParents("ResolvedRefs", true, "ResolvedRefs", "all references resolved");
        }
    }

    public void TranslateInline(IReadOnlyList<GatewayListener> listeners, List<RoutePlan> output)
    {
        foreach (var listener in listeners.Where(l => l.IsNative && l.Usable && !l.InlineRoutes.IsEmpty))
        {
            var gateway = listener.Gateway;
            var attachments = new List<RouteAttachment> { new(listener.Plan.Id, listener.Plan.Hostnames) };
            var ok = true;
            for (var i = 0; i < listener.InlineRoutes.Count; i++)
            {
                var field = $"spec.listeners[{listener.Index}].routes[{i}]";
                var id = $"Gateway/{gateway.Namespace}/{gateway.Name}/listeners/{listener.Name}/routes/{i}";
                if (TranslateRule(gateway, listener.InlineRoutes[i], field, id, (listener.Index * 10_000) + i, listener.Plan.Hostnames, attachments, ref ok) is { } plan)
                {
                    output.Add(plan);
                    listener.AttachedRoutes++;
                }
            }
        }
    }

    private RoutePlan? TranslateRule(Resource owner, NativeRule rule, string field, string id, int index, IReadOnlyList<string> hosts, List<RouteAttachment> attachments, ref bool refsOk)
    {
        var matches = new List<PlanRouteMatch>();
        if (rule.Match.IsEmpty)
        {
            matches.Add(PlanRouteMatch.Any);
        }

        for (var m = 0; m < rule.Match.Count; m++)
        {
            matches.Add(ToMatch(owner, rule.Match[m], $"{field}.match[{m}]"));
        }

        RouteAction action;
        if (rule.Redirect is { } redirect)
        {
            action = new RedirectAction(
                redirect.Scheme,
                redirect.Authority,
                redirect.Port,
                redirect.Uri is null ? null : new PathModifier(PathModifierKind.ReplaceFullPath, redirect.Uri),
                redirect.RedirectCode);
        }
        else if (rule.DirectResponse is { } direct)
        {
            var body = direct.Body?.String ?? (direct.Body?.Bytes is { } bytes ? System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(bytes)) : null);
            action = new DirectResponseAction(direct.Status, body);
        }
        else if (rule.Route.IsEmpty && context.Options.Sidecar?.InboundPort is not null)
        {
            action = new FailAction(500, InboundOnly);
        }
        else if (rule.Route.IsEmpty)
        {
            context.Error(owner, field + ".route", "the rule has no destination, redirect or directResponse", "add a route destination");
            action = new FailAction(500, $"{owner.Display} {field} has no destination");
        }
        else
        {
            action = new ForwardAction(Destinations(owner, rule.Route, field + ".route", ref refsOk)) { Canary = Canary(owner, rule.Canary, field + ".canary", ref refsOk) };
        }

        var rewrite = rule.Rewrite is { } r && (r.Uri is not null || r.Authority is not null)
            ? new UrlRewrite(r.Uri is null ? null : new PathModifier(PathModifierKind.ReplacePrefixMatch, r.Uri), r.Authority)
            : null;
        var plan = new RoutePlan(
            id,
            ListenerBuilder.Ref(owner),
            rule.Name,
            new RouteOrder(owner.Metadata.CreationTimestamp, owner.Origin.ReadOrder, index),
            attachments.ToEquatableArray(),
            matches.ToEquatableArray(),
            action)
        {
            RequestHeaders = Request(rule.Headers),
            ResponseHeaders = Response(rule.Headers),
            Rewrite = rewrite,
            Timeout = Timeouts.Enabled(rule.Timeout),
            Retry = RetryPolicies.Plan(rule.Retries),
            Fault = Fault(rule.Fault),
            Mirrors = Mirrors(owner, rule, field),
            MaxRequestBodySize = rule.MaxRequestBodySize,
            RateLimit = RateLimitPlan.From(rule.RateLimit),
        };
        var policy = string.IsNullOrEmpty(rule.AuthorizationPolicy) ? null : new NamedAuthorizationPolicy(rule.AuthorizationPolicy, field + ".authorizationPolicy");
        return plugins.Apply(owner, field, hosts, attachments, plan, rule.Plugins, CorsPlugins(owner, rule.CorsPolicy, field + ".corsPolicy"), policy);
    }

    private EquatableArray<BackendPlan> Destinations(Resource owner, EquatableArray<RouteDestination> destinations, string field, ref bool refsOk)
    {
        var anyWeight = destinations.Any(d => d.Weight is not null);
        var list = new List<BackendPlan>();
        for (var d = 0; d < destinations.Count; d++)
        {
            var destination = destinations[d];
            var resolved = backends.ResolveHost(owner, destination.Destination.Host, destination.Destination.Port, destination.Destination.Subset);
            if (!resolved.IsValid)
            {
                refsOk = false;
                context.Error(owner, $"{field}[{d}].destination", resolved.Message!);
                context.Status(owner).SetAllParents("ResolvedRefs", false, resolved.Reason!, $"{field}[{d}]: {resolved.Message}");
                context.Status(owner).Set("ResolvedRefs", false, resolved.Reason!, $"{field}[{d}]: {resolved.Message}");
            }

            var weight = destination.Weight ?? (anyWeight ? 0 : 1);
            list.Add(new BackendPlan(resolved.ClusterId, weight, Request(destination.Headers), Response(destination.Headers), resolved.Message));
        }

        return list.ToEquatableArray();
    }

    private CanaryPlan? Canary(Resource owner, RouteCanary? canary, string field, ref bool refsOk) => canary is null
        ? null
        : new CanaryPlan(Destinations(owner, canary.Route, field + ".route", ref refsOk))
        {
            Header = canary.ByHeader,
            HeaderValue = canary.ByHeaderValue,
            HeaderPattern = canary.ByHeaderPattern,
            Cookie = canary.ByCookie,
            Weight = canary.Weight ?? 0,
            WeightTotal = canary.WeightTotal ?? 100,
        };

    private EquatableArray<FieldPlugin> CorsPlugins(Resource owner, CorsPolicy? policy, string field)
    {
        if (policy is null)
        {
            return default;
        }

        if (CorsFieldPlugins.FromCorsPolicy(policy, field) is { } cors)
        {
            return [cors];
        }

        context.Warning(owner, field + ".allowOrigins", "is empty: no origin is allowed, so the policy adds no CORS headers and preflights reach the backend", "list the allowed origins, e.g. [{exact: \"https://app.example.com\"}]");
        return default;
    }

    private PlanRouteMatch ToMatch(Resource owner, NativeMatch match, string field)
    {
        var path = match.Uri switch
        {
            { Exact: { } e } => new PathMatch(PathMatchKind.Exact, e, match.IgnoreUriCase),
            { Prefix: { } p } => new PathMatch(PathMatchKind.Prefix, p, match.IgnoreUriCase),
            { Regex: { } x } => new PathMatch(PathMatchKind.Regex, x, match.IgnoreUriCase),
            _ => match.IgnoreUriCase ? PathMatch.Any with { IgnoreCase = true } : PathMatch.Any,
        };
        string? method = null;
        if (match.Method is { } m)
        {
            method = m.Exact;
            if (method is null)
            {
                context.Warning(owner, field + ".method", "only exact method matches are supported; this condition is ignored", "use method: {exact: GET}");
            }
        }

        if (match.Authority is not null)
        {
            context.Warning(owner, field + ".authority", "authority matches are not supported; this condition is ignored", "list the host under spec.hosts instead");
        }

        return new PlanRouteMatch(path, method, ToValueMatches(match.Headers), ToValueMatches(match.QueryParams));
    }

    private static EquatableArray<NamedValueMatch> ToValueMatches(EquatableMap<StringMatch> map) => map
        .Select(e => e.Value switch
        {
            { Exact: { } x } => new NamedValueMatch(e.Key, ValueMatchKind.Exact, x),
            { Prefix: { } x } => new NamedValueMatch(e.Key, ValueMatchKind.Prefix, x),
            { Regex: { } x } => new NamedValueMatch(e.Key, ValueMatchKind.Regex, x),
            _ => new NamedValueMatch(e.Key, ValueMatchKind.Present, string.Empty),
        })
        .ToEquatableArray();

    // An unresolved mirror is dropped with an error; the primary route still serves (Envoy skips a missing shadow cluster).
    private EquatableArray<MirrorPlan> Mirrors(Resource owner, NativeRule rule, string field)
    {
        if (rule.Mirror is not { } mirror)
        {
            if (rule.MirrorPercentage is not null)
            {
                context.Warning(owner, field + ".mirrorPercentage", "is set without mirror, so nothing is mirrored", "add mirror: {host: ..., port: ...} or remove mirrorPercentage");
            }

            return EquatableArray<MirrorPlan>.Empty;
        }

        var resolved = backends.ResolveHost(owner, mirror.Host, mirror.Port, mirror.Subset);
        if (!resolved.IsValid)
        {
            context.Error(owner, field + ".mirror", resolved.Message! + "; requests are not mirrored");
            return EquatableArray<MirrorPlan>.Empty;
        }

        return [new MirrorPlan(resolved.ClusterId!, rule.MirrorPercentage?.Value ?? 100)];
    }

    // Istio: a fault without a percentage applies to every request.
    private static FaultPlan? Fault(FaultInjection? fault) => fault is null || (fault.Delay is null && fault.Abort is null)
        ? null
        : new FaultPlan(fault.Delay?.FixedDelay, fault.Delay?.Percentage?.Value ?? 100, fault.Abort?.HttpStatus, fault.Abort?.Percentage?.Value ?? 100);

    private static HeaderModifier Request(HeaderOperations? headers) => ToModifier(headers?.Request);

    private static HeaderModifier Response(HeaderOperations? headers) => ToModifier(headers?.Response);

    private static HeaderModifier ToModifier(HeaderOperation? operation) => operation is null
        ? HeaderModifier.None
        : new HeaderModifier(
            operation.Set.Select(e => new HeaderValue(e.Key, e.Value)).ToEquatableArray(),
            operation.Add.Select(e => new HeaderValue(e.Key, e.Value)).ToEquatableArray(),
            operation.Remove);
}
