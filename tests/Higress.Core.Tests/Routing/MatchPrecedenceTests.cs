using Higress.Core.Explain;
using Higress.Core.Tests.Explain;

namespace Higress.Core.Tests.Routing;

/// <summary>Gateway API match semantics and precedence, through the same translator and matcher the gateway runs.</summary>
public sealed class MatchPrecedenceTests
{
    private static string Route(string name, string rules, string ns = "default", string? hostnames = null, string? created = null) => $$"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: {{name}}
          namespace: {{ns}}
          {{(created is null ? string.Empty : $"creationTimestamp: \"{created}\"")}}
        spec:
          parentRefs: [{name: gw, namespace: default}]
          {{(hostnames is null ? string.Empty : $"hostnames: [{hostnames}]")}}
          rules:
        {{rules}}
        ---

        """;

    private static string Rule(string match, string backend) => $$"""
          - matches: [{{match}}]
            backendRefs: [{name: {{backend}}, port: 80}]

        """;

    private static GatewayExplainer Build(params string[] routes) =>
        GatewayExplainer.FromYaml(Yaml.Gateway(from: "All") + Yaml.Service("a") + Yaml.Service("b") + Yaml.Service("c") + string.Concat(routes));

    private static string? Backend(GatewayExplainer explainer, string url, string method = "GET", params (string, string)[] headers)
    {
        var request = new ExplainRequest(method, url);
        foreach (var (name, value) in headers)
        {
            request = request.WithHeader(name, value);
        }

        var result = explainer.Explain(request);
        return result.LocalStatus is { } status ? status.ToString(System.Globalization.CultureInfo.InvariantCulture) : result.ChosenBackend?.ClusterId?.Split('/')[1].Split(':')[0];
    }

    [Fact]
    public void Exact_beats_prefix_and_longer_prefix_beats_shorter()
    {
        var explainer = Build(Route("r", Rule("{path: {type: PathPrefix, value: /}}", "a") + Rule("{path: {type: PathPrefix, value: /foo}}", "b") + Rule("{path: {type: Exact, value: /foo/bar}}", "c")));

        Assert.Equal("c", Backend(explainer, "http://x/foo/bar"));
        Assert.Equal("b", Backend(explainer, "http://x/foo/bar/baz"));
        Assert.Equal("b", Backend(explainer, "http://x/foo"));
        Assert.Equal("b", Backend(explainer, "http://x/foo/"));
        Assert.Equal("a", Backend(explainer, "http://x/foobar"));
    }

    [Fact]
    public void Prefixes_match_whole_segments_and_paths_are_case_sensitive()
    {
        var explainer = Build(Route("r", Rule("{path: {type: PathPrefix, value: /abc/}}", "a")));

        Assert.Equal("a", Backend(explainer, "http://x/abc"));
        Assert.Equal("a", Backend(explainer, "http://x/abc/"));
        Assert.Equal("a", Backend(explainer, "http://x/abc/x"));
        Assert.Equal("404", Backend(explainer, "http://x/abcd"));
        Assert.Equal("404", Backend(explainer, "http://x/ABC"));
    }

    [Fact]
    public void Exact_path_does_not_forgive_a_trailing_slash()
    {
        var explainer = Build(Route("r", Rule("{path: {type: Exact, value: /exact}}", "a")));

        Assert.Equal("a", Backend(explainer, "http://x/exact"));
        Assert.Equal("404", Backend(explainer, "http://x/exact/"));
        Assert.Equal("404", Backend(explainer, "http://x/Exact"));
    }

    [Fact]
    public void Method_then_header_count_then_query_count_break_path_ties()
    {
        var explainer = Build(Route("r",
            Rule("{path: {type: PathPrefix, value: /p}}", "a")
            + Rule("{path: {type: PathPrefix, value: /p}, headers: [{name: x-v, value: '1'}], queryParams: [{name: q, value: '1'}]}", "b")
            + Rule("{path: {type: PathPrefix, value: /p}, method: POST}", "c")));

        Assert.Equal("c", Backend(explainer, "http://x/p?q=1", "POST", ("x-v", "1")));
        Assert.Equal("b", Backend(explainer, "http://x/p?q=1", "GET", ("x-v", "1")));
        Assert.Equal("a", Backend(explainer, "http://x/p?Q=1", "GET", ("x-v", "1")));
        Assert.Equal("a", Backend(explainer, "http://x/p"));
    }

    [Fact]
    public void Older_route_wins_a_tie_then_namespace_and_name()
    {
        var newer = Route("aaa", Rule("{path: {type: PathPrefix, value: /t}}", "a"), created: "2024-02-01T00:00:00Z");
        var older = Route("zzz", Rule("{path: {type: PathPrefix, value: /t}}", "b"), created: "2024-01-01T00:00:00Z");
        Assert.Equal("b", Backend(Build(newer, older), "http://x/t"));

        var first = Route("aaa", Rule("{path: {type: PathPrefix, value: /t}}", "a"), created: "2024-01-01T00:00:00Z");
        var second = Route("bbb", Rule("{path: {type: PathPrefix, value: /t}}", "b"), created: "2024-01-01T00:00:00Z");
        Assert.Equal("a", Backend(Build(second, first), "http://x/t"));
    }

    [Fact]
    public void Specific_hostnames_take_precedence_and_wildcards_match_deeper_names_only()
    {
        var explainer = Build(
            Route("wild", Rule("{path: {type: PathPrefix, value: /}}", "a"), hostnames: "\"*.example.com\""),
            Route("exact", Rule("{path: {type: PathPrefix, value: /only}}", "b"), hostnames: "\"foo.example.com\""));

        Assert.Equal("b", Backend(explainer, "http://foo.example.com/only"));
        Assert.Equal("a", Backend(explainer, "http://foo.example.com/other"));
        Assert.Equal("a", Backend(explainer, "http://a.b.example.com/"));
        Assert.Equal("404", Backend(explainer, "http://example.com/"));
        Assert.Equal("b", Backend(explainer, "http://FOO.example.com:80/only"));
    }

    [Fact]
    public void Query_parameter_names_are_case_sensitive_and_values_decoded()
    {
        var explainer = Build(Route("r", Rule("{path: {type: PathPrefix, value: /}, queryParams: [{name: animal, value: 'whale shark'}]}", "a")));

        Assert.Equal("a", Backend(explainer, "http://x/?animal=whale%20shark"));
        Assert.Equal("a", Backend(explainer, "http://x/?animal=whale+shark&x=1"));
        Assert.Equal("404", Backend(explainer, "http://x/?Animal=whale%20shark"));
    }

    [Fact]
    public void Regex_paths_match_whole_path_and_rank_with_prefixes_by_length()
    {
        var explainer = Build(Route("r",
            Rule("{path: {type: RegularExpression, value: '/v[0-9]+/items'}}", "a")
            + Rule("{path: {type: PathPrefix, value: /v1}}", "b")));

        Assert.Equal("a", Backend(explainer, "http://x/v2/items"));
        Assert.Equal("a", Backend(explainer, "http://x/v1/items"));
        Assert.Equal("b", Backend(explainer, "http://x/v1/items/extra"));
    }

    [Fact]
    public void Native_ignoreUriCase_matches_any_case()
    {
        var yaml = """
            apiVersion: networking.higress.io/v1alpha1
            kind: Gateway
            metadata: {name: g}
            spec:
              listeners: [{protocol: HTTP, port: 80}]
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: r}
            spec:
              http:
              - match: [{uri: {prefix: /Docs}, ignoreUriCase: true}]
                route: [{destination: {host: a, port: 80}}]
            ---

            """ + Yaml.Service("a");
        var explainer = GatewayExplainer.FromYaml(yaml);

        Assert.Null(explainer.Explain(ExplainRequest.Get("http://x/docs/intro")).LocalStatus);
        Assert.Null(explainer.Explain(ExplainRequest.Get("http://x/DOCS")).LocalStatus);
        Assert.Equal(404, explainer.Explain(ExplainRequest.Get("http://x/docsy")).LocalStatus);
    }
}
