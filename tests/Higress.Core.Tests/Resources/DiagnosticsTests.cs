using Higress.Core.Resources;

namespace Higress.Core.Tests.Resources;

public class DiagnosticsTests
{
    private const string RouteHeader = """
        apiVersion: networking.higress.io/v1alpha1
        kind: Route
        metadata: {name: orders, namespace: shop}
        spec:

        """;

    [Fact]
    public void Bad_regex_names_object_path_and_fix()
    {
        var result = ResourceParserTests.Parse(RouteHeader + """
              http:
              - match:
                - uri: {prefix: /a}
                - uri: {regex: "("}
                route: [{destination: {host: orders}}]
            """);

        Assert.Empty(result.Resources);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Equal("Route shop/orders: spec.http[0].match[1].uri.regex: '(' is unclosed; fix the regular expression '('", error.ToString());
        Assert.Equal("routes.yaml#1", error.SourceFile);
    }

    [Fact]
    public void Unknown_fields_are_warnings_with_paths()
    {
        var result = ResourceParserTests.Parse(RouteHeader + """
              http:
              - matchh: [{uri: {prefix: /a}}]
                route: [{destination: {host: orders}}]
            """);

        Assert.Single(result.Resources);
        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal("spec.http[0].matchh", warning.FieldPath);
        Assert.Equal("did you mean 'match'?", warning.Fix);
    }

    [Fact]
    public void All_errors_are_collected()
    {
        var result = ResourceParserTests.Parse(RouteHeader + """
              http:
              - route: [{destination: {host: orders, port: 70000}, weight: -1}]
                timeout: 10 seconds
                redirect: {redirectCode: 200}
                rateLimit: {requestsPerUnit: 10, unit: Second}
              - route: [{destination: {port: 80}}]
                rateLimit: {requestsPerUnit: 10, key: cookie}
            """);

        Assert.Empty(result.Resources);
        var messages = result.Diagnostics.Select(d => d.ToString()).ToArray();
        Assert.Contains("Route shop/orders: spec.http[0].route[0].destination.port: 70000 is not a valid port; use a port between 1 and 65535", messages);
        Assert.Contains(messages, m => m.StartsWith("Route shop/orders: spec.http[0].route[0].weight: -1 is out of range", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("Route shop/orders: spec.http[0].timeout: '10 seconds' is not a duration; write a duration", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("Route shop/orders: spec.http[0].redirect.redirectCode: 200 is not allowed", StringComparison.Ordinal));
        Assert.Contains("Route shop/orders: spec.http[0].rateLimit.unit: 'Second' is not a valid value; write 'second' (values are case-sensitive)", messages);
        Assert.Contains(messages, m => m.StartsWith("Route shop/orders: spec.http[1].rateLimit.key: 'cookie' is not a valid rate-limit key", StringComparison.Ordinal));
        Assert.Contains("Route shop/orders: spec.http[1].route[0].destination.host: 'host' is required; set spec.http[1].route[0].destination.host", messages);
    }

    [Fact]
    public void Cross_field_rules_are_checked()
    {
        var result = ResourceParserTests.Parse(RouteHeader + """
              http:
              - route: [{destination: {host: orders}}]
                redirect: {uri: /x}
              - match: [{uri: {prefix: /a, exact: /a}}, {headers: {x: {}}}]
                directResponse: {status: 200}
            """);

        Assert.Equal(
            [
                "spec.http[0]: route, redirect and directResponse are exclusive",
                "spec.http[1].match[0].uri: a string match takes only one of exact, prefix, regex, present",
                "spec.http[1].match[1].headers.x: a string match needs a value",
            ],
            result.Diagnostics.Select(d => $"{d.FieldPath}: {d.Message}"));
    }

    [Fact]
    public void Invalid_enum_lists_the_valid_values()
    {
        var result = ResourceParserTests.Parse("""
            apiVersion: networking.higress.io/v1alpha1
            kind: Gateway
            metadata: {name: gw}
            spec:
              listeners: [{protocol: QUIC, port: abc}]
            """);

        var messages = result.Diagnostics.Select(d => d.ToString()).ToArray();
        Assert.Contains("Gateway default/gw: spec.listeners[0].protocol: 'QUIC' is not a valid value; use one of: HTTP, HTTPS, HTTP2, GRPC, TLS, TCP, UDP", messages);
        Assert.Contains("Gateway default/gw: spec.listeners[0].port: expected a number, got 'abc'; write a whole number such as 8080", messages);
    }

    [Fact]
    public void Missing_name_uses_the_file_position()
    {
        var result = ResourceParserTests.Parse(ResourceParserTests.SeedExample + """

            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            spec: {}
            """);

        Assert.Equal(2, result.Resources.Count);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("routes.yaml#3: metadata.name: 'metadata.name' is required; add metadata: {name: ...}", error.ToString());
    }

    [Fact]
    public void Broken_yaml_document_does_not_hide_its_neighbours()
    {
        var result = ResourceParserTests.Parse("""
            apiVersion: v1
            kind: Service
            metadata: {name: a}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: [b
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: c}
            """);

        Assert.Equal(["a", "c"], result.Resources.Select(r => r.Name));
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("routes.yaml#2", error.Object);
        Assert.StartsWith("not valid YAML at line 8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_kind_is_a_warning_and_bad_version_an_error()
    {
        var result = ResourceParserTests.Parse("""
            apiVersion: v1
            kind: PodTemplate
            metadata: {name: a}
            ---
            apiVersion: networking.higress.io/v1
            kind: Route
            metadata: {name: b}
            ---
            kind: Route
            metadata: {name: c}
            """);

        Assert.Empty(result.Resources);
        Assert.Equal(DiagnosticSeverity.Warning, result.Diagnostics[0].Severity);
        Assert.Equal("PodTemplate default/a: kind: v1 PodTemplate is not a kind Higress.Net reads; ignored", result.Diagnostics[0].ToString());
        Assert.Equal("Route default/b: apiVersion: networking.higress.io/v1 is not a supported version of Route; use networking.higress.io/v1alpha1", result.Diagnostics[1].ToString());
        Assert.Equal(DiagnosticSeverity.Error, result.Diagnostics[2].Severity);
        Assert.Equal("apiVersion", result.Diagnostics[2].FieldPath);
    }

    [Fact]
    public void Gateway_api_values_are_validated()
    {
        var result = ResourceParserTests.Parse("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: r}
            spec:
              rules:
              - matches:
                - path: {type: Exact, value: orders}
                - path: {type: RegularExpression, value: "[a-"}
                - headers: [{name: x, value: "*", type: RegularExpression}]
                filters:
                - type: RequestRedirect
                  requestHeaderModifier: {set: [{name: a, value: b}]}
                backendRefs: [{name: a, weight: -2}]
            """);

        var paths = result.Diagnostics.Where(d => d.IsError).Select(d => d.FieldPath).ToArray();
        Assert.Equal(
            [
                "spec.rules[0].matches[0].path.value",
                "spec.rules[0].matches[1].path.value",
                "spec.rules[0].matches[2].headers[0].value",
                "spec.rules[0].filters[0].requestRedirect",
                "spec.rules[0].filters[0].requestHeaderModifier",
                "spec.rules[0].backendRefs[0].weight",
            ],
            paths);
    }

    [Fact]
    public void Invalid_json_reports_the_position()
    {
        var result = Higress.Core.Resources.Parsing.ResourceParser.Parse("{\"apiVersion\": ", new ResourceOrigin("test", "a.json", 0, 0));

        var error = Assert.Single(result.Diagnostics);
        Assert.StartsWith("a.json: not valid JSON at line 1", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("apiVersion: v1\nkind: Service\nmetadata:\n", "metadata.name")]
    [InlineData("apiVersion: v1\nkind: Service\nmetadata: {namespace: x}\n", "metadata.name")]
    [InlineData("apiVersion: v1\nkind: Service\nmetadata: {name: a, name: b}\n", "")]
    [InlineData("just a string\n", "")]
    [InlineData("apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: 80}\n", "spec.ports")]
    public void Malformed_documents_are_errors(string yaml, string path)
    {
        var result = ResourceParserTests.Parse(yaml);

        Assert.Empty(result.Resources);
        var error = Assert.Single(result.Diagnostics);
        Assert.True(error.IsError);
        Assert.Equal(path, error.FieldPath);
    }

    [Fact]
    public void Anchors_and_crlf_line_endings_work()
    {
        var result = ResourceParserTests.Parse("apiVersion: v1\r\nkind: Service\r\nmetadata: {name: a, labels: &l {app: x}, annotations: *l}\r\n---\r\napiVersion: v1\r\nkind: Namespace\r\nmetadata: {name: n}\r\n");

        Assert.Empty(result.Diagnostics);
        Assert.Equal("x", result.Resources[0].Metadata.Annotations["app"]);
        Assert.Equal(2, result.Resources.Count);
    }

    [Fact]
    public void Hostnames_are_validated()
    {
        var result = ResourceParserTests.Parse(RouteHeader + """
              hosts: ["api.example.com", "*.example.org", "*", "a.*.com", "api.example.com:8080", "-bad.com"]
              http: [{route: [{destination: {host: a}}]}]
            """);

        Assert.Equal(["spec.hosts[3]", "spec.hosts[4]", "spec.hosts[5]"], result.Diagnostics.Select(d => d.FieldPath));
        Assert.Equal("'a.*.com' is not a valid hostname", result.Diagnostics[0].Message);
    }
}
