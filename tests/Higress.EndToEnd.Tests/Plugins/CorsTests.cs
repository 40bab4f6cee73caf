using Higress.EndToEnd.Tests.Infrastructure;

namespace Higress.EndToEnd.Tests.Plugins;

/// <summary>
/// CORS on real sockets, three ways that share one engine: Higress's cors plugin (its documented test config), a native
/// Route <c>corsPolicy</c> and an HTTPRoute <c>CORS</c> filter. The backend records every request: preflights and
/// refused requests must never reach it.
/// </summary>
public sealed class CorsTests : IAsyncLifetime
{
    // Higress's cors README_EN.md "Test Configuration" WasmPlugin, verbatim (docs/plugins/cors.md shows the same).
    internal const string HigressDocExample = """
        apiVersion: extensions.higress.io/v1alpha1
        kind: WasmPlugin
        metadata:
          name: wasm-cors-httpbin
          namespace: higress-system
        spec:
          defaultConfigDisable: true
          matchRules:
            - config:
                allow_origins:
                  - http://httpbin.example.net
                allow_origin_patterns:
                  - http://*.example.com:[*]
                  - http://*.example.org:[9090,8080]
                allow_methods:
                  - GET
                  - POST
                  - PATCH
                allow_headers:
                  - Content-Type
                  - Token
                  - Authorization
                expose_headers:
                  - X-Custom-Header
                  - X-Env-UTM
                allow_credentials: true
                max_age: 3600
              configDisable: false
              ingress:
                - ingress-cors-httpbin
          url: oci://higress-registry.cn-hangzhou.cr.aliyuncs.com/plugins/cors:1.0.0
          imagePullPolicy: Always
        """;

    private EchoBackend _backend = null!;
    private GatewayHost _gateway = null!;
    private int _native;
    private int _gatewayApi;

    public async Task InitializeAsync()
    {
        // The backend sends its own permissive CORS header: the gateway's answer must replace it.
        _backend = await EchoBackend.StartAsync("higress-system", "web", new Dictionary<string, string> { ["Access-Control-Allow-Origin"] = "*" });
        _native = FreePorts.Next();
        _gatewayApi = FreePorts.Next();
        var routes = $$$"""
            apiVersion: networking.higress.io/v1alpha1
            kind: Gateway
            metadata: {name: gw, namespace: higress-system}
            spec:
              listeners:
              - protocol: HTTP
                port: {{{_native}}}
                allowedRoutes: {namespaces: {from: All}}
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: ingress-cors-httpbin, namespace: higress-system}
            spec:
              gateways: [higress-system/gw]
              hosts: [httpbin.example.com]
              http:
              - route: [{destination: {host: web, port: 80}}]
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: native, namespace: higress-system}
            spec:
              gateways: [higress-system/gw]
              hosts: [native.test]
              http:
              - route: [{destination: {host: web, port: 80}}]
                corsPolicy:
                  allowOrigins: [{exact: "https://app.test"}, {prefix: "https://admin."}]
                  allowMethods: [GET, PUT]
                  allowHeaders: [X-Token]
                  exposeHeaders: [X-Trace]
                  maxAge: 10m
                  allowCredentials: true
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: broken, namespace: broken}
            spec:
              gateways: [higress-system/gw]
              hosts: [broken.test]
              http:
              - route: [{destination: {host: web, port: 80}}]
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Extension
            metadata: {name: cors, namespace: broken}
            spec:
              plugin: cors
              config: {allow_origins: ["app.test"]}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: kgw, namespace: higress-system}
            spec:
              gatewayClassName: higress
              listeners: [{name: web, protocol: HTTP, port: {{{_gatewayApi}}}}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: filtered, namespace: higress-system}
            spec:
              parentRefs: [{name: kgw}]
              hostnames: [filter.test]
              rules:
              - backendRefs: [{name: web, port: 80}]
                filters:
                - type: CORS
                  cors:
                    allowOrigins: ["https://*.example.org"]
                    allowMethods: [GET, POST]
                    allowHeaders: ["*"]
                    allowCredentials: true
            """;
        _gateway = await GatewayHost.StartAsync(new Dictionary<string, string>
        {
            ["routes.yaml"] = routes,
            ["cors.yaml"] = HigressDocExample,
            ["web.yaml"] = ConformanceWorld.ServiceYaml("higress-system", "web", _backend.Port, servicePort: 80),
            ["web-broken.yaml"] = ConformanceWorld.ServiceYaml("broken", "web", _backend.Port, servicePort: 80),
        });
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _backend.DisposeAsync();
    }

    private Task<GatewayResponse> SendAsync(int port, string host, HttpMethod method, params (string Name, string Value)[] headers) =>
        _gateway.SendAsync(port, host, "/anything/get?foo=1", method, headers.Select(h => KeyValuePair.Create(h.Name, h.Value)));

    private bool Forwarded(string host, string method) =>
        _backend.Received.Any(r => r.Method == method && r.Headers.TryGetValue("Host", out var h) && h.StartsWith(host, StringComparison.OrdinalIgnoreCase));

    [Fact]
    public async Task Higress_doc_example_simple_request_is_forwarded_with_CORS_headers()
    {
        var response = await SendAsync(_native, "httpbin.example.com", HttpMethod.Get, ("Origin", "http://httpbin2.example.org:9090"));

        Assert.Equal(200, response.Code);
        Assert.Equal("/anything/get?foo=1", response.Echo.Path);
        Assert.Equal("http://httpbin2.example.org:9090", response.HeaderValue("Access-Control-Allow-Origin"));
        Assert.Equal("X-Custom-Header,X-Env-UTM", response.HeaderValue("Access-Control-Expose-Headers"));
        Assert.Equal("true", response.HeaderValue("Access-Control-Allow-Credentials"));
        Assert.Null(response.HeaderValue("Access-Control-Max-Age"));
        Assert.Contains("Origin", response.HeaderValue("Vary"), StringComparison.Ordinal);
        Assert.True(Forwarded("httpbin.example.com", "GET"));
    }

    [Fact]
    public async Task Higress_doc_example_preflight_is_answered_by_the_gateway_and_never_forwarded()
    {
        var response = await SendAsync(_native, "httpbin.example.com", HttpMethod.Options,
            ("Origin", "http://httpbin2.example.org:9090"), ("Access-Control-Request-Method", "POST"), ("Access-Control-Request-Headers", "Content-Type, Token"));

        Assert.Equal(200, response.Code);
        Assert.Equal(string.Empty, response.Body);
        Assert.Equal("http://httpbin2.example.org:9090", response.HeaderValue("Access-Control-Allow-Origin"));
        Assert.Equal("GET,POST,PATCH", response.HeaderValue("Access-Control-Allow-Methods"));
        Assert.Equal("Content-Type,Token,Authorization", response.HeaderValue("Access-Control-Allow-Headers"));
        Assert.Equal("X-Custom-Header,X-Env-UTM", response.HeaderValue("Access-Control-Expose-Headers"));
        Assert.Equal("true", response.HeaderValue("Access-Control-Allow-Credentials"));
        Assert.Equal("3600", response.HeaderValue("Access-Control-Max-Age"));
        Assert.False(Forwarded("httpbin.example.com", "OPTIONS"));
    }

    [Theory]
    [InlineData("http://httpbin2.example.org", "GET", null)]
    [InlineData("http://httpbin2.example.org:9090", "DELETE", null)]
    [InlineData("http://httpbin2.example.org:9090", "GET", "TokenView")]
    public async Task Higress_doc_example_illegal_preflights_get_403_and_no_CORS_headers(string origin, string method, string? headers)
    {
        var sent = new List<(string, string)> { ("Origin", origin), ("Access-Control-Request-Method", method) };
        if (headers is not null)
        {
            sent.Add(("Access-Control-Request-Headers", headers));
        }

        var response = await SendAsync(_native, "httpbin.example.com", HttpMethod.Options, [.. sent]);

        Assert.Equal(403, response.Code);
        Assert.Equal("Invalid CORS request", response.Body);
        Assert.Null(response.HeaderValue("Access-Control-Allow-Origin"));
        Assert.False(Forwarded("httpbin.example.com", "OPTIONS"));
    }

    [Fact]
    public async Task A_disallowed_origins_actual_request_is_refused_and_not_forwarded()
    {
        var response = await SendAsync(_native, "httpbin.example.com", HttpMethod.Delete, ("Origin", "http://evil.test"));

        Assert.Equal(403, response.Code);
        Assert.Null(response.HeaderValue("Access-Control-Allow-Origin"));
        Assert.False(Forwarded("httpbin.example.com", "DELETE"));
    }

    [Fact]
    public async Task A_native_corsPolicy_answers_preflights_and_decorates_actual_requests()
    {
        var preflight = await SendAsync(_native, "native.test", HttpMethod.Options,
            ("Origin", "https://admin.example.com"), ("Access-Control-Request-Method", "PUT"), ("Access-Control-Request-Headers", "x-token"));
        Assert.Equal(200, preflight.Code);
        Assert.Equal("https://admin.example.com", preflight.HeaderValue("Access-Control-Allow-Origin"));
        Assert.Equal("GET,PUT", preflight.HeaderValue("Access-Control-Allow-Methods"));
        Assert.Equal("X-Token", preflight.HeaderValue("Access-Control-Allow-Headers"));
        Assert.Equal("600", preflight.HeaderValue("Access-Control-Max-Age"));
        Assert.Equal("true", preflight.HeaderValue("Access-Control-Allow-Credentials"));
        Assert.False(Forwarded("native.test", "OPTIONS"));

        var actual = await SendAsync(_native, "native.test", HttpMethod.Get, ("Origin", "https://app.test"));
        Assert.Equal(200, actual.Code);
        Assert.Equal("https://app.test", actual.HeaderValue("Access-Control-Allow-Origin"));
        Assert.Equal("X-Trace", actual.HeaderValue("Access-Control-Expose-Headers"));

        var refused = await SendAsync(_native, "native.test", HttpMethod.Options, ("Origin", "https://other.test"), ("Access-Control-Request-Method", "GET"));
        Assert.Equal(403, refused.Code);
        Assert.False(Forwarded("native.test", "OPTIONS"));
    }

    [Fact]
    public async Task An_HTTPRoute_CORS_filter_answers_preflights_and_decorates_actual_requests()
    {
        var preflight = await SendAsync(_gatewayApi, "filter.test", HttpMethod.Options,
            ("Origin", "https://shop.example.org"), ("Access-Control-Request-Method", "POST"), ("Access-Control-Request-Headers", "X-Anything"));
        Assert.Equal(200, preflight.Code);
        Assert.Equal("https://shop.example.org", preflight.HeaderValue("Access-Control-Allow-Origin"));
        Assert.Equal("X-Anything", preflight.HeaderValue("Access-Control-Allow-Headers"));
        Assert.Equal("5", preflight.HeaderValue("Access-Control-Max-Age"));
        Assert.False(Forwarded("filter.test", "OPTIONS"));

        var actual = await SendAsync(_gatewayApi, "filter.test", HttpMethod.Post, ("Origin", "https://shop.example.org"));
        Assert.Equal(200, actual.Code);
        Assert.Equal("https://shop.example.org", actual.HeaderValue("Access-Control-Allow-Origin"));
        Assert.Equal("true", actual.HeaderValue("Access-Control-Allow-Credentials"));

        var refused = await SendAsync(_gatewayApi, "filter.test", HttpMethod.Get, ("Origin", "https://shop.example.com"));
        Assert.Equal(403, refused.Code);
    }

    [Fact]
    public void The_doc_page_shows_the_example_this_test_loads()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "docs", "plugins", "cors.md")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        var doc = File.ReadAllText(Path.Combine(dir.FullName, "docs", "plugins", "cors.md")).ReplaceLineEndings("\n");
        Assert.Contains(HigressDocExample.ReplaceLineEndings("\n"), doc, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_without_an_origin_pass_untouched()
    {
        var response = await SendAsync(_native, "native.test", HttpMethod.Get);

        Assert.Equal(200, response.Code);
        Assert.Null(response.HeaderValue("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_cors_Extension_that_was_never_valid_fails_its_routes_closed()
    {
        var response = await SendAsync(_native, "broken.test", HttpMethod.Get, ("Origin", "https://app.test"));

        Assert.Equal(500, response.Code);
        Assert.False(Forwarded("broken.test", "GET"));
    }
}
