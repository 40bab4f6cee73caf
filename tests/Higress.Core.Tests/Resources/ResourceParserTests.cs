using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;

namespace Higress.Core.Tests.Resources;

public class ResourceParserTests
{
    internal const string SeedExample = """
        apiVersion: networking.higress.io/v1alpha1
        kind: Gateway
        metadata:
          name: example-gateway
        spec:
          listeners:
          - protocol: HTTP
            port: 80
            routes:
            - name: example-route
              route:
                - destination:
                    host: my-service
                    port: 80
        ---
        apiVersion: networking.higress.io/v1alpha1
        kind: Extension
        metadata:
          name: jwt-auth
        spec:
          type: authentication
          config:
            jwt:
              issuer: "example.com"
              jwks_uri: "https://example.com/.well-known/jwks.json"
        """;

    private static readonly ResourceOrigin Origin = new("test", "routes.yaml", 0, 0);

    internal static ParseResult Parse(string text) => ResourceParser.Parse(text, Origin);

    [Fact]
    public void Seed_example_parses_verbatim()
    {
        var result = Parse(SeedExample);

        Assert.Empty(result.Diagnostics);
        Assert.Equal(2, result.Resources.Count);
        var gateway = Assert.IsType<HigressGateway>(result.Resources[0]);
        Assert.Equal("example-gateway", gateway.Name);
        Assert.Equal("default", gateway.Namespace);
        var listener = Assert.Single(gateway.Spec.Listeners);
        Assert.Equal(HigressListenerProtocol.HTTP, listener.Protocol);
        Assert.Equal(80, listener.Port);
        Assert.Equal("http-80", listener.Name);
        Assert.Equal(FromNamespaces.Same, listener.AllowedRoutes.Namespaces.From);
        var rule = Assert.Single(listener.Routes);
        Assert.Equal("example-route", rule.Name);
        var destination = Assert.Single(rule.Route).Destination;
        Assert.Equal("my-service", destination.Host);
        Assert.Equal(80, destination.Port);

        var extension = Assert.IsType<Extension>(result.Resources[1]);
        Assert.Equal(ExtensionType.Authentication, extension.Spec.Type);
        Assert.Equal("jwt-auth", extension.Spec.PluginName);
        Assert.Equal("example.com", extension.Spec.Config!.Element.GetProperty("jwt").GetProperty("issuer").GetString());
        Assert.Equal(PluginPhase.Unspecified, extension.Spec.Phase);
        Assert.Equal(FailStrategy.FailClose, extension.Spec.FailStrategy);
    }

    [Fact]
    public void Two_parses_of_the_same_document_are_equal()
    {
        var first = Parse(SeedExample).Resources;
        var second = Parse(SeedExample).Resources;

        Assert.Equal(first, second);
        Assert.Equal(first[0].GetHashCode(), second[0].GetHashCode());
        Assert.NotEqual(first[0].Origin.ReadOrder, second[0].Origin.ReadOrder);
    }

    [Fact]
    public void Origins_carry_file_and_document_index()
    {
        var result = Parse(SeedExample);

        Assert.Equal("routes.yaml#1", result.Resources[0].Origin.Display);
        Assert.Equal("routes.yaml#2", result.Resources[1].Origin.Display);
        Assert.True(result.Resources[0].Origin.ReadOrder < result.Resources[1].Origin.ReadOrder);
    }

    [Fact]
    public void Full_route_rule_shape_binds()
    {
        var result = Parse("""
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: orders, namespace: shop, creationTimestamp: "2024-01-02T03:04:05Z", labels: {app: orders}}
            spec:
              gateways: [example-gateway]
              hosts: ["api.example.com", "*.example.org"]
              http:
              - name: orders-v2
                match:
                - uri: {prefix: /orders}
                  method: {exact: GET}
                  headers: {x-canary: {exact: "true"}, x-any: {present: true}}
                  queryParams: {debug: {exact: "1"}}
                  ignoreUriCase: true
                route:
                - destination: {host: orders, port: {number: 8080}, subset: v2}
                  weight: 10
                  headers: {request: {set: {x-a: "1"}, add: {x-b: "2"}, remove: [x-c]}}
                - destination: {host: orders, port: 8080, subset: v1}
                  weight: 90
                rewrite: {uri: /v2/orders, authority: orders.internal}
                headers: {response: {set: {x-served-by: higress}}}
                mirror: {host: orders-shadow, port: 8080}
                mirrorPercentage: {value: 5.0}
                retries: {attempts: 3, perTryTimeout: 2s, retryOn: "5xx,reset"}
                timeout: 10s
                corsPolicy: {allowOrigins: [{exact: "https://a.com"}], allowMethods: [GET], maxAge: 24h, allowCredentials: false}
                fault: {delay: {percentage: {value: 1}, fixedDelay: 2s}, abort: {percentage: {value: 1}, httpStatus: 503}}
                rateLimit: {requestsPerUnit: 100, unit: minute, burst: 20, key: "header:x-api-key"}
                plugins: [{name: key-auth, config: {keys: [x-api-key]}}]
              - name: down
                directResponse: {status: 503, body: {string: maintenance}}
              - name: moved
                redirect: {uri: /new, authority: x, scheme: https, port: 443, redirectCode: 308}
            """);

        Assert.Empty(result.Diagnostics);
        var route = Assert.IsType<Route>(Assert.Single(result.Resources));
        Assert.Equal("Route shop/orders", route.Display);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), route.Metadata.CreationTimestamp);
        Assert.Equal("orders", route.Metadata.Labels["app"]);
        var rule = route.Spec.Http[0];
        var match = Assert.Single(rule.Match);
        Assert.Equal("/orders", match.Uri!.Prefix);
        Assert.Equal("true", match.Headers["x-canary"].Exact);
        Assert.True(match.Headers["x-any"].Present);
        Assert.Equal("1", match.QueryParams["debug"].Exact);
        Assert.True(match.IgnoreUriCase);
        Assert.Equal(8080, rule.Route[0].Destination.Port);
        Assert.Equal(10, rule.Route[0].Weight);
        Assert.Equal("1", rule.Route[0].Headers!.Request!.Set["x-a"]);
        Assert.Equal(["x-c"], rule.Route[0].Headers!.Request!.Remove);
        Assert.Equal(TimeSpan.FromSeconds(10), rule.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(2), rule.Retries!.PerTryTimeout);
        Assert.Equal(TimeSpan.FromHours(24), rule.CorsPolicy!.MaxAge);
        Assert.Equal(5.0, rule.MirrorPercentage!.Value);
        Assert.Equal(503, rule.Fault!.Abort!.HttpStatus);
        Assert.Equal(RateLimitUnit.Minute, rule.RateLimit!.Unit);
        Assert.Equal("key-auth", rule.Plugins[0].Name);
        Assert.Equal("maintenance", route.Spec.Http[1].DirectResponse!.Body!.String);
        Assert.Equal(308, route.Spec.Http[2].Redirect!.RedirectCode);
    }

    [Fact]
    public void Durations_parse()
    {
        Assert.True(DurationParser.TryParse("100ms", out var ms));
        Assert.Equal(TimeSpan.FromMilliseconds(100), ms);
        Assert.True(DurationParser.TryParse("1m30s", out var mixed));
        Assert.Equal(TimeSpan.FromSeconds(90), mixed);
        Assert.True(DurationParser.TryParse("1.5s", out var fraction));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), fraction);
        Assert.True(DurationParser.TryParse("24h", out var day));
        Assert.Equal(TimeSpan.FromDays(1), day);
        Assert.False(DurationParser.TryParse("2x", out _));
        Assert.False(DurationParser.TryParse("s", out _));
        Assert.False(DurationParser.TryParse("10", out _));
    }

    [Fact]
    public void Json_list_and_array_parse()
    {
        var list = ResourceParser.Parse("""
            {"apiVersion": "v1", "kind": "List", "items": [
              {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "a"}, "spec": {"ports": [{"port": 80, "targetPort": "http"}]}},
              {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop", "labels": {"team": "x"}}}
            ]}
            """, Origin);
        var array = ResourceParser.Parse("""[{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "a"}, "spec": {"ports": [{"port": 80, "targetPort": 8080}]}}]""", Origin);

        Assert.Empty(list.Diagnostics);
        var service = Assert.IsType<Service>(list.Resources[0]);
        Assert.Equal("http", service.Spec.Ports[0].TargetPort!.Value.Name);
        Assert.Equal("TCP", service.Spec.Ports[0].Protocol);
        var ns = Assert.IsType<KubernetesNamespace>(list.Resources[1]);
        Assert.Equal(string.Empty, ns.Namespace);
        Assert.Equal("x", ns.Metadata.Labels["team"]);
        Assert.Equal(8080, Assert.IsType<Service>(Assert.Single(array.Resources)).Spec.Ports[0].TargetPort!.Value.Number);
    }

    [Fact]
    public void Yaml_scalars_resolve_like_kubernetes()
    {
        var result = Parse("""
            apiVersion: networking.higress.io/v1alpha1
            kind: Extension
            metadata: {name: e}
            spec:
              plugin: custom
              config: {quoted: "80", plain: 80, float: 1.5, yes: true, nothing: ~, text: hello, version: 1.10}
            """);

        var config = Assert.IsType<Extension>(Assert.Single(result.Resources)).Spec.Config!.Element;
        Assert.Equal(System.Text.Json.JsonValueKind.String, config.GetProperty("quoted").ValueKind);
        Assert.Equal(80, config.GetProperty("plain").GetInt32());
        Assert.Equal(1.5, config.GetProperty("float").GetDouble());
        Assert.True(config.GetProperty("yes").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, config.GetProperty("nothing").ValueKind);
        Assert.Equal("hello", config.GetProperty("text").GetString());
        Assert.Equal("1.10", config.GetProperty("version").GetRawText());
    }

    [Fact]
    public void Plain_numbers_bind_to_string_fields()
    {
        var result = Parse("""
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: r}
            spec:
              http:
              - match: [{headers: {x-v: {exact: 2}}}]
                route: [{destination: {host: a}}]
            """);

        Assert.Empty(result.Diagnostics);
        Assert.Equal("2", ((Route)result.Resources[0]).Spec.Http[0].Match[0].Headers["x-v"].Exact);
    }

    [Fact]
    public void Secret_values_are_redacted_when_printed()
    {
        var result = Parse("""
            apiVersion: v1
            kind: Secret
            metadata: {name: cert, namespace: certs}
            type: kubernetes.io/tls
            data: {tls.crt: aGVsbG8=}
            stringData: {password: hunter2}
            """);

        var secret = Assert.IsType<Secret>(Assert.Single(result.Resources));
        Assert.Equal("hello", secret.GetString("tls.crt"));
        Assert.Equal("hunter2", secret.GetString("password"));
        Assert.DoesNotContain("hunter2", secret.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("aGVsbG8=", secret.ToString(), StringComparison.Ordinal);
        Assert.Contains("tls.crt", secret.ToString(), StringComparison.Ordinal);
        Assert.Equal(Secret.RedactedValue, secret.Redacted().StringData["password"]);
    }

    [Fact]
    public void Records_serialize_to_json_for_dumps()
    {
        var resources = Parse(SeedExample + "\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 80, targetPort: http}]}\n").Resources;
        var options = new System.Text.Json.JsonSerializerOptions { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase };

        var extension = System.Text.Json.JsonSerializer.Serialize(resources[1], resources[1].GetType(), options);
        var service = System.Text.Json.JsonSerializer.Serialize(resources[2], resources[2].GetType(), options);

        Assert.Contains("\"config\":{\"jwt\":{\"issuer\":\"example.com\"", extension, StringComparison.Ordinal);
        Assert.Contains("\"targetPort\":\"http\"", service, StringComparison.Ordinal);
        Assert.Contains("\"labels\":{}", service, StringComparison.Ordinal);
    }
}
