using Higress.Core.Plan;
using Higress.Core.Plugins.BuiltIn.Cors;
using Higress.Core.Resources;
using Higress.Core.Translation.Plugins;
using PlanRouteMatch = Higress.Core.Plan.RouteMatch;

namespace Higress.Core.Translation;

/// <summary>Translates Gateway API HTTPRoutes and GRPCRoutes into rules.</summary>
internal sealed class HttpRouteTranslator(TranslationContext context, RouteAttacher attacher, BackendResolver backends, RulePlugins plugins)
{
    public void Translate(HttpRoute route, List<RoutePlan> output) =>
        TranslateRules(route, route.Spec.ParentRefs, route.Spec.Hostnames, route.Spec.Rules.Count, (i, attachments) =>
        {
            var rule = route.Spec.Rules[i];
            var field = $"spec.rules[{i}]";
            var matches = rule.Matches.Select(ToMatch).ToList();
            var (request, backendRequest) = (Timeouts.Enabled(rule.Timeouts?.Request), Timeouts.Enabled(rule.Timeouts?.BackendRequest));
            if (request < backendRequest)
            {
                context.Error(route, field + ".timeouts.backendRequest", $"{backendRequest} exceeds timeouts.request ({request})", "make backendRequest at most request, or remove it");
                backendRequest = request;
            }

            return AddRule(route, i, rule.Name, route.Spec.Hostnames, attachments, matches, rule.Filters, rule.BackendRefs, null, output, request, backendRequest);
        });

    public void Translate(GrpcRoute route, List<RoutePlan> output) =>
        TranslateRules(route, route.Spec.ParentRefs, route.Spec.Hostnames, route.Spec.Rules.Count, (i, attachments) =>
        {
            var rule = route.Spec.Rules[i];
            var matches = rule.Matches.IsEmpty
                ? [PlanRouteMatch.Any]
                : rule.Matches.Select(m => new PlanRouteMatch(GrpcPath(m.Method), null, HeaderMatches(m.Headers), default)).ToList();
            return AddRule(route, i, rule.Name, route.Spec.Hostnames, attachments, matches, rule.Filters, rule.BackendRefs, UpstreamProtocol.Http2, output);
        });

    /// <summary>Attaches a Gateway API route, translates each rule (false: a backend reference did not resolve) and sets ResolvedRefs.</summary>
    private void TranslateRules(Resource route, EquatableArray<ParentReference> parentRefs, EquatableArray<string> hostnames, int ruleCount, Func<int, List<RouteAttachment>, bool> translateRule)
    {
        var status = context.Status(route);
        var attachments = attacher.ByParentRefs(route, parentRefs, hostnames, status);
        var refsOk = true;
        for (var i = 0; i < ruleCount; i++)
        {
            refsOk &= translateRule(i, attachments);
        }

        SetResolvedRefs(status, refsOk);
    }

    /// <summary>Builds rule <paramref name="index"/> of a Gateway API route; returns false when a backend reference did not resolve.</summary>
    private bool AddRule(
        Resource route,
        int index,
        string? name,
        EquatableArray<string> hostnames,
        List<RouteAttachment> attachments,
        IReadOnlyList<PlanRouteMatch> matches,
        EquatableArray<HttpRouteFilter> filters,
        EquatableArray<BackendRef> backendRefs,
        UpstreamProtocol? protocol,
        List<RoutePlan> output,
        TimeSpan? timeout = null,
        TimeSpan? backendTimeout = null)
    {
        var field = $"spec.rules[{index}]";
        var mirrors = new List<MirrorPlan>();
        var (action, requestHeaders, responseHeaders, rewrite, ok) = Filters(route, filters, backendRefs, matches, field, protocol, mirrors);
        output.Add(plugins.Apply(route, field, hostnames, attachments, new RoutePlan(
            $"{route.Kind}/{route.Namespace}/{route.Name}/rules/{index}",
            ListenerBuilder.Ref(route),
            name,
            new RouteOrder(route.Metadata.CreationTimestamp, route.Origin.ReadOrder, index),
            attachments.ToEquatableArray(),
            matches.ToEquatableArray(),
            action)
        {
            RequestHeaders = requestHeaders,
            ResponseHeaders = responseHeaders,
            Rewrite = rewrite,
            Timeout = timeout,
            BackendTimeout = backendTimeout,
            Mirrors = mirrors.ToEquatableArray(),
        }, fieldPlugins: CorsPlugins(route, filters, field), authorizationPolicy: AuthorizationPolicy(route)));
        return ok;
    }

    // The CORS filter is served by the cors plugin, bound on the rule like an inline plugin.
    private EquatableArray<FieldPlugin> CorsPlugins(Resource route, EquatableArray<HttpRouteFilter> filters, string field)
    {
        var result = new List<FieldPlugin>();
        for (var f = 0; f < filters.Count; f++)
        {
            if (filters[f] is not { Type: HttpRouteFilterType.Cors, Cors: { } cors })
            {
                continue;
            }

            var path = $"{field}.filters[{f}].cors";
            if (CorsFieldPlugins.FromFilter(cors, path) is { } plugin)
            {
                result.Add(plugin);
            }
            else
            {
                context.Warning(route, path + ".allowOrigins", "is empty: no origin is allowed, so the filter adds no CORS headers and preflights reach the backend", "list the allowed origins, e.g. [\"https://app.example.com\"]");
            }
        }

        return [.. result];
    }

    // The annotation applies to every rule of the route; it is reported on the annotation, one diagnostic per rule.
    private static NamedAuthorizationPolicy? AuthorizationPolicy(Resource route) =>
        route.Metadata.Annotations.TryGetValue(NamedAuthorizationPolicy.Annotation, out var policy) && !string.IsNullOrWhiteSpace(policy)
            ? new NamedAuthorizationPolicy(policy.Trim(), $"metadata.annotations[{NamedAuthorizationPolicy.Annotation}]")
            : null;

    private static void SetResolvedRefs(StatusBuilder status, bool ok)
    {
        if (ok)
        {
            status.SetAllParents("ResolvedRefs", true, "ResolvedRefs", "all references resolved");
        }
    }

    private static PathMatch GrpcPath(GrpcMethodMatch? method)
    {
        if (method is null || (method.Service is null && method.Method is null))
        {
            return PathMatch.Any;
        }

        if (method.Type == ValueMatchType.RegularExpression)
        {
            return new PathMatch(PathMatchKind.Regex, method.RegexPath);
        }

        return (method.Service, method.Method) switch
        {
            ({ } s, { } m) => new PathMatch(PathMatchKind.Exact, $"/{s}/{m}"),
            ({ } s, null) => new PathMatch(PathMatchKind.Prefix, $"/{s}"),
            (null, { } m) => new PathMatch(PathMatchKind.Regex, $"/[^/]+/{System.Text.RegularExpressions.Regex.Escape(m)}"),
            _ => PathMatch.Any,
        };
    }

    // The reader has refused relative paths and patterns the regex engine cannot take (SemanticValidator).
    private static PlanRouteMatch ToMatch(HttpRouteMatch match)
    {
        var path = match.Path;
        var pathMatch = new PathMatch(path.Type switch
        {
            PathMatchType.RegularExpression => PathMatchKind.Regex,
            PathMatchType.Exact => PathMatchKind.Exact,
            _ => PathMatchKind.Prefix,
        }, path.Value);
        var query = match.QueryParams
            .DistinctBy(q => q.Name, StringComparer.Ordinal)
            .Select(q => new NamedValueMatch(q.Name, q.Type == ValueMatchType.RegularExpression ? ValueMatchKind.Regex : ValueMatchKind.Exact, q.Value))
            .ToEquatableArray();
        return new PlanRouteMatch(pathMatch, match.Method, HeaderMatches(match.Headers), query);
    }

    private static EquatableArray<NamedValueMatch> HeaderMatches(EquatableArray<HttpHeaderMatch> headers) => headers
        .DistinctBy(h => h.Name, StringComparer.OrdinalIgnoreCase)
        .Select(h => new NamedValueMatch(h.Name, h.Type == ValueMatchType.RegularExpression ? ValueMatchKind.Regex : ValueMatchKind.Exact, h.Value))
        .ToEquatableArray();

    private (RouteAction Action, HeaderModifier Request, HeaderModifier Response, UrlRewrite? Rewrite, bool RefsOk) Filters(
        Resource route, EquatableArray<HttpRouteFilter> filters, EquatableArray<BackendRef> backendRefs, IReadOnlyList<PlanRouteMatch> matches, string field, UpstreamProtocol? forced, List<MirrorPlan> mirrors)
    {
        var request = HeaderModifier.None;
        var response = HeaderModifier.None;
        UrlRewrite? rewrite = null;
        RedirectAction? redirect = null;
        for (var f = 0; f < filters.Count; f++)
        {
            var filter = filters[f];
            var ff = $"{field}.filters[{f}]";
            switch (filter.Type)
            {
                case HttpRouteFilterType.RequestHeaderModifier when filter.RequestHeaderModifier is { } h:
                    request = request.Then(ToModifier(h));
                    break;
                case HttpRouteFilterType.ResponseHeaderModifier when filter.ResponseHeaderModifier is { } h:
                    response = response.Then(ToModifier(h));
                    break;
                case HttpRouteFilterType.RequestRedirect when filter.RequestRedirect is { } r:
                    if (ToRedirect(route, r, matches, ff) is not { } ruleRedirect)
                    {
                        return (new FailAction(500, $"{route.Display} {ff}: invalid redirect path"), request, response, null, true);
                    }

                    redirect = ruleRedirect;
                    break;
                case HttpRouteFilterType.UrlRewrite when filter.UrlRewrite is { } u:
                    if (ToRewrite(route, u, null, matches, ff) is not { } ruleRewrite)
                    {
                        return (new FailAction(500, $"{route.Display} {ff}: invalid rewrite path"), request, response, null, true);
                    }

                    rewrite = ruleRewrite;
                    break;
                case HttpRouteFilterType.Cors when filter.Cors is not null:
                    break;
                case HttpRouteFilterType.RequestMirror when filter.RequestMirror is { } m:
                    AddMirror(route, m, ff + ".requestMirror.backendRef", forced, mirrors);
                    break;
                default:
                    context.NotEnforced(route, ff + ".type", $"filter {filter.Type} is ignored");
                    break;
            }
        }

        if (redirect is not null)
        {
            return (redirect, request, response, null, true);
        }

        if (backendRefs.IsEmpty)
        {
            return (new FailAction(500, $"{route.Display} {field} has no backendRefs"), request, response, rewrite, true);
        }

        var refsOk = true;
        var list = new List<BackendPlan>();
        for (var b = 0; b < backendRefs.Count; b++)
        {
            var backendRef = backendRefs[b];
            var resolved = backends.ResolveBackendRef(route, backendRef, forced);
            if (!resolved.IsValid)
            {
                refsOk = false;
                context.Error(route, $"{field}.backendRefs[{b}]", resolved.Message!);
                context.Status(route).SetAllParents("ResolvedRefs", false, resolved.Reason!, $"{field}.backendRefs[{b}]: {resolved.Message}");
            }

            var plan = new BackendPlan(resolved.ClusterId, backendRef.Weight, HeaderModifier.None, HeaderModifier.None, resolved.Message);
            list.Add(BackendFilters(route, plan, backendRef.Filters, rewrite, matches, $"{field}.backendRefs[{b}]", forced));
        }

        return (new ForwardAction(list.ToEquatableArray()), request, response, rewrite, refsOk);
    }

    // Gateway API backend filters act only when their backend is chosen: a rewrite (over the rule's), a redirect
    // answered instead of forwarding, mirrors besides the rule's, header edits after the rule's.
    private BackendPlan BackendFilters(Resource route, BackendPlan plan, EquatableArray<HttpRouteFilter> filters, UrlRewrite? ruleRewrite, IReadOnlyList<PlanRouteMatch> matches, string field, UpstreamProtocol? forced)
    {
        var mirrors = new List<MirrorPlan>();
        for (var f = 0; f < filters.Count; f++)
        {
            var filter = filters[f];
            var ff = $"{field}.filters[{f}]";
            switch (filter.Type)
            {
                case HttpRouteFilterType.RequestHeaderModifier when filter.RequestHeaderModifier is { } h:
                    plan = plan with { RequestHeaders = plan.RequestHeaders.Then(ToModifier(h)) };
                    break;
                case HttpRouteFilterType.ResponseHeaderModifier when filter.ResponseHeaderModifier is { } h:
                    plan = plan with { ResponseHeaders = plan.ResponseHeaders.Then(ToModifier(h)) };
                    break;
                case HttpRouteFilterType.UrlRewrite when filter.UrlRewrite is { } u:
                    plan = ToRewrite(route, u, ruleRewrite, matches, ff) is { } rewrite
                        ? plan with { Rewrite = rewrite }
                        : plan with { ClusterId = null, Error = $"{ff}: invalid rewrite path" };
                    break;
                case HttpRouteFilterType.RequestRedirect when filter.RequestRedirect is { } r:
                    plan = ToRedirect(route, r, matches, ff) is { } redirect
                        ? plan with { Redirect = redirect }
                        : plan with { ClusterId = null, Error = $"{ff}: invalid redirect path" };
                    break;
                case HttpRouteFilterType.RequestMirror when filter.RequestMirror is { } m:
                    AddMirror(route, m, ff + ".requestMirror.backendRef", forced, mirrors);
                    break;
                default:
                    context.NotEnforced(route, ff + ".type", $"backend filter {filter.Type} is ignored");
                    break;
            }
        }

        return mirrors.Count == 0 ? plan : plan with { Mirrors = mirrors.ToEquatableArray() };
    }

    // Null when the path modifier does not fit the rule's matches (an error is reported).
    private RedirectAction? ToRedirect(Resource route, HttpRequestRedirectFilter r, IReadOnlyList<PlanRouteMatch> matches, string field) =>
        PathModifierFits(route, r.Path, matches, field + ".requestRedirect.path", out var path) ? new RedirectAction(r.Scheme, r.Hostname, r.Port, path, r.StatusCode) : null;

    // A backend's rewrite keeps what it leaves out (path or hostname) from the rule's, `over`.
    private UrlRewrite? ToRewrite(Resource route, HttpUrlRewriteFilter u, UrlRewrite? over, IReadOnlyList<PlanRouteMatch> matches, string field) =>
        PathModifierFits(route, u.Path, matches, field + ".urlRewrite.path", out var path) ? new UrlRewrite(path ?? over?.Path, u.Hostname ?? over?.Hostname) : null;

    // An unresolved mirror is dropped with an error; the rule still serves its backends.
    private void AddMirror(Resource route, HttpRequestMirrorFilter mirror, string field, UpstreamProtocol? forced, List<MirrorPlan> mirrors)
    {
        var resolved = backends.ResolveBackendRef(route, mirror.BackendRef, forced);
        if (!resolved.IsValid)
        {
            context.Error(route, field, resolved.Message! + "; requests are not mirrored");
            return;
        }

        var percent = mirror.Fraction is { } f ? 100.0 * f.Numerator / f.Denominator : mirror.Percent ?? 100;
        mirrors.Add(new MirrorPlan(resolved.ClusterId!, percent));
    }

    private bool PathModifierFits(Resource route, HttpPathModifier? path, IReadOnlyList<PlanRouteMatch> matches, string field, out PathModifier? modifier)
    {
        modifier = null;
        if (path is null)
        {
            return true;
        }

        if (path.Type == PathModifierType.ReplaceFullPath)
        {
            modifier = new PathModifier(PathModifierKind.ReplaceFullPath, path.ReplaceFullPath ?? "/");
            return true;
        }

        if (matches.Any(m => m.Path.Kind != PathMatchKind.Prefix))
        {
            context.Error(route, field, "ReplacePrefixMatch needs every match of the rule to be a PathPrefix match", "use PathPrefix matches or ReplaceFullPath");
            return false;
        }

        modifier = new PathModifier(PathModifierKind.ReplacePrefixMatch, path.ReplacePrefixMatch ?? "/");
        return true;
    }

    private static HeaderModifier ToModifier(HttpHeaderFilter filter) => new(
        filter.Set.Select(h => new HeaderValue(h.Name, h.Value)).ToEquatableArray(),
        filter.Add.Select(h => new HeaderValue(h.Name, h.Value)).ToEquatableArray(),
        filter.Remove);
}
