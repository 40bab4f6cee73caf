using Higress.Core.Plan;

namespace Higress.Core.Tests.Translation;

/// <summary>HTTPRoute <c>backendRefs[].filters</c> land on their backend's plan; none is silently dropped.</summary>
public sealed class BackendFilterTranslationTests
{
    private static string HttpRoute(string filters, string ruleFilters = "[]") => $$$"""
        apiVersion: v1
        kind: Service
        metadata: {name: shadow}
        spec: {ports: [{port: 81}]}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: web}
        spec:
          parentRefs: [{group: networking.higress.io, kind: Gateway, name: gw}]
          rules:
          - matches: [{path: {type: PathPrefix, value: /api}}]
            filters: {{{ruleFilters}}}
            backendRefs:
            - name: up
              port: 80
              filters: {{{filters}}}
            - {name: shadow, port: 81}
        """;

    private static (BackendPlan Filtered, BackendPlan Plain, TranslationResultView Result) Translate(string filters, string ruleFilters = "[]")
    {
        var (parsed, result) = TimeoutsTests.Translate(HttpRoute(filters, ruleFilters));
        Assert.DoesNotContain(parsed.Diagnostics.Concat(result.Diagnostics), d => d.IsError);
        var forward = Assert.IsType<ForwardAction>(Assert.Single(result.Plan.Routes).Action);
        return (forward.Backends[0], forward.Backends[1], new TranslationResultView(result.Diagnostics.Select(d => d.ToString()).ToList(), result.Statuses.SelectMany(s => s.Conditions).Select(c => c.Type).ToList()));
    }

    [Fact]
    public void URLRewrite_becomes_the_backends_rewrite_and_keeps_what_it_leaves_out_from_the_rule()
    {
        var (filtered, plain, _) = Translate(
            "[{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2}}}]",
            "[{type: URLRewrite, urlRewrite: {hostname: rule.example}}]");

        Assert.Equal(new UrlRewrite(new PathModifier(PathModifierKind.ReplacePrefixMatch, "/v2"), "rule.example"), filtered.Rewrite);
        Assert.Null(plain.Rewrite);
    }

    [Fact]
    public void RequestRedirect_becomes_the_backends_redirect()
    {
        var (filtered, plain, _) = Translate("[{type: RequestRedirect, requestRedirect: {hostname: moved.example, statusCode: 301}}]");

        Assert.Equal(new RedirectAction(null, "moved.example", null, null, 301), filtered.Redirect);
        Assert.Null(plain.Redirect);
    }

    [Fact]
    public void RequestMirror_becomes_the_backends_mirror_only()
    {
        var (filtered, plain, _) = Translate("[{type: RequestMirror, requestMirror: {backendRef: {name: shadow, port: 81}, percent: 40}}]");

        Assert.Equal([new MirrorPlan("default/shadow:81", 40)], filtered.Mirrors.ToArray());
        Assert.Empty(plain.Mirrors);
    }

    [Fact]
    public void Header_modifiers_stay_on_the_backend()
    {
        var (filtered, _, result) = Translate("[{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x-b, value: '1'}]}}]");

        Assert.Equal([new HeaderValue("x-b", "1")], filtered.RequestHeaders.Set.ToArray());
        Assert.DoesNotContain("Enforced", result.Conditions);
    }

    [Fact]
    public void Any_other_backend_filter_is_reported_as_not_enforced()
    {
        var (_, _, result) = Translate("[{type: ExtensionRef, extensionRef: {group: x.io, kind: K, name: n}}]");

        Assert.Contains(result.Diagnostics, d => d.Contains("spec.rules[0].backendRefs[0].filters[0].type", StringComparison.Ordinal));
        Assert.Contains("Enforced", result.Conditions);
    }

    internal sealed record TranslationResultView(List<string> Diagnostics, List<string> Conditions);
}
