using Higress.Core.Explain;

namespace Higress.Core.Tests.Explain;

public sealed class GatewayExplainerTests
{
    private const string SeedExample = """
        apiVersion: networking.higress.io/v1alpha1
        kind: Gateway
        metadata: {name: example-gateway}
        spec:
          listeners:
          - protocol: HTTP
            port: 80
            routes:
            - name: example-route
              route:
                - destination: {host: my-service, port: 80}
        ---

        """;

    [Fact]
    public void Seed_example_routes_anything_to_my_service()
    {
        var explainer = GatewayExplainer.FromYaml(SeedExample + Yaml.Service("my-service", address: "127.0.0.1", targetPort: 9000));

        var result = explainer.Explain(ExplainRequest.Get("http://gateway.local/anything"));

        Assert.Null(result.LocalStatus);
        Assert.Equal("Gateway default/example-gateway", result.Object);
        Assert.Equal("default/my-service:80", result.ChosenBackend?.ClusterId);
        Assert.Equal("http://127.0.0.1:9000", result.ChosenDestination);
        Assert.Equal("/anything", result.UpstreamPath);
    }

    [Fact]
    public void Nothing_matches_on_another_port()
    {
        var explainer = GatewayExplainer.FromYaml(SeedExample + Yaml.Service("my-service"));

        var result = explainer.Explain(ExplainRequest.Get("http://gateway.local:8080/anything"));

        Assert.Equal(404, result.LocalStatus);
        Assert.Null(result.Listener);
    }

    [Fact]
    public void Missing_service_gives_500_and_an_error_naming_object_and_field()
    {
        var explainer = GatewayExplainer.FromYaml(SeedExample);

        var result = explainer.Explain(ExplainRequest.Get("http://gateway.local/anything"));

        Assert.Equal(500, result.LocalStatus);
        var error = Assert.Single(explainer.Translation.Diagnostics, d => d.IsError);
        Assert.Contains("Gateway default/example-gateway", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("spec.listeners[0].routes[0].route[0].destination", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("my-service", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Explains_rewrite_and_weighted_shares()
    {
        var yaml = Yaml.Gateway() + Yaml.Service("v1") + Yaml.Service("v2") + """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: web}
            spec:
              parentRefs: [{name: gw}]
              rules:
              - matches: [{path: {type: PathPrefix, value: /api}}]
                filters:
                - type: URLRewrite
                  urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2}, hostname: internal.local}
                backendRefs:
                - {name: v1, port: 80, weight: 3}
                - {name: v2, port: 80, weight: 1}
                - {name: v2, port: 80, weight: 0}
            """;
        var explainer = GatewayExplainer.FromYaml(yaml);

        var result = explainer.Explain(ExplainRequest.Get("http://a.example/api/items"));

        Assert.Equal("/v2/items", result.UpstreamPath);
        Assert.Equal("internal.local", result.UpstreamHost);
        Assert.Equal([0.75, 0.25, 0], result.Backends.Select(b => b.Share));
    }

    [Fact]
    public void Explains_redirect_location()
    {
        var yaml = Yaml.Gateway(port: 8080) + """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: redirect}
            spec:
              parentRefs: [{name: gw}]
              rules:
              - filters:
                - type: RequestRedirect
                  requestRedirect: {scheme: https, statusCode: 301}
            """;
        var explainer = GatewayExplainer.FromYaml(yaml);

        var result = explainer.Explain(ExplainRequest.Get("http://example.org:8080/path?q=1"));

        Assert.Equal(301, result.LocalStatus);
        Assert.Equal("https://example.org/path?q=1", result.RedirectLocation);
    }
}
