using Higress.Core.Resources;

namespace Higress.Core.Tests.Resources;

/// <summary>
/// Patterns that the linear-time engine cannot run are configuration errors that name the object and the field, for
/// every kind that takes a regex.
/// </summary>
public sealed class RegexPatternDiagnosticsTests
{
    private const string Native = """
        apiVersion: networking.higress.io/v1alpha1
        kind: Route
        metadata: {name: orders, namespace: shop}
        spec:
          http:
          - match: [MATCH]
            route: [{destination: {host: orders}}]
        """;

    private const string GatewayApi = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: KIND
        metadata: {name: orders, namespace: shop}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [MATCH]
            backendRefs: [{name: orders, port: 80}]
        """;

    private static readonly string HttpRoute = GatewayApi.Replace("KIND", "HTTPRoute", StringComparison.Ordinal);
    private static readonly string GrpcRoute = GatewayApi.Replace("KIND", "GRPCRoute", StringComparison.Ordinal);

    public static TheoryData<string, string, string, string> Refused => new()
    {
        { Native, """{uri: {regex: '/(a)\1'}}""", "Route shop/orders", "spec.http[0].match[0].uri.regex" },
        { Native, """{uri: {prefix: /}, headers: {x-a: {regex: '(?=a)a'}}}""", "Route shop/orders", "spec.http[0].match[0].headers.x-a.regex" },
        { Native, """{uri: {prefix: /}, queryParams: {q: {regex: '(?<!a)b'}}}""", "Route shop/orders", "spec.http[0].match[0].queryParams.q.regex" },
        { HttpRoute, """{path: {type: RegularExpression, value: '/(a)\1'}}""", "HTTPRoute shop/orders", "spec.rules[0].matches[0].path.value" },
        { HttpRoute, """{headers: [{type: RegularExpression, name: x-a, value: '(?=a)a'}]}""", "HTTPRoute shop/orders", "spec.rules[0].matches[0].headers[0].value" },
        { HttpRoute, """{queryParams: [{type: RegularExpression, name: q, value: '(?>a+)b'}]}""", "HTTPRoute shop/orders", "spec.rules[0].matches[0].queryParams[0].value" },
        { GrpcRoute, """{method: {type: RegularExpression, service: '(a)\1', method: Get}}""", "GRPCRoute shop/orders", "spec.rules[0].matches[0].method.service" },
        { GrpcRoute, """{method: {type: RegularExpression, service: svc, method: '(?!x)Get'}}""", "GRPCRoute shop/orders", "spec.rules[0].matches[0].method.method" },
        { GrpcRoute, """{headers: [{type: RegularExpression, name: x-a, value: '(?=a)a'}]}""", "GRPCRoute shop/orders", "spec.rules[0].matches[0].headers[0].value" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_pattern_that_needs_backtracking_is_an_error_naming_the_field(string shape, string match, string display, string field)
    {
        var result = ResourceParserTests.Parse(shape.Replace("MATCH", match, StringComparison.Ordinal));

        Assert.Empty(result.Resources);
        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal(display, error.Object);
        Assert.Equal(field, error.FieldPath);
        Assert.Contains("linear-time regex engine does not support", error.Message, StringComparison.Ordinal);
        Assert.Contains("without backreferences, lookarounds", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void The_error_says_which_construct_and_how_to_fix_it()
    {
        var result = ResourceParserTests.Parse(Native.Replace("MATCH", """{uri: {regex: '/(a)\1'}}""", StringComparison.Ordinal));

        Assert.Equal(
            @"Route shop/orders: spec.http[0].match[0].uri.regex: '/(a)\1' uses backreference (\ number), which the linear-time regex engine does not support; "
            + @"rewrite it without backreferences, lookarounds, atomic groups, conditionals, balancing groups or \G, which need backtracking (see Regular expressions in docs/routing.md)",
            Assert.Single(result.Diagnostics).ToString());
    }

    [Fact]
    public void A_pattern_too_large_for_the_engine_is_an_error_naming_the_field()
    {
        var result = ResourceParserTests.Parse(Native.Replace("MATCH", "{uri: {regex: '/(a{100}){100}'}}", StringComparison.Ordinal));

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("spec.http[0].match[0].uri.regex", error.FieldPath);
        Assert.Contains("too large", error.Message, StringComparison.Ordinal);
        Assert.Contains("repetition", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_grpc_service_and_method_that_fit_alone_but_not_together_are_an_error_on_the_method_match()
    {
        // Each part stays under the engine's 10,000 nodes; the path pattern the router runs holds both.
        var match = "{method: {type: RegularExpression, service: '(a{30}){40}', method: '(b{30}){40}'}}";
        var result = ResourceParserTests.Parse(GrpcRoute.Replace("MATCH", match, StringComparison.Ordinal));

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("spec.rules[0].matches[0].method", error.FieldPath);
        Assert.Contains("too large", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_posix_class_from_re2_is_an_error_with_the_net_spelling()
    {
        var result = ResourceParserTests.Parse(HttpRoute.Replace("MATCH", "{headers: [{type: RegularExpression, name: x-a, value: '[[:alpha:]]+'}]}", StringComparison.Ordinal));

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("spec.rules[0].matches[0].headers[0].value", error.FieldPath);
        Assert.Contains("POSIX class '[:alpha:]'", error.Message, StringComparison.Ordinal);
        Assert.Contains(@"\p{L}", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Patterns_the_engine_takes_parse()
    {
        var result = ResourceParserTests.Parse(Native.Replace("MATCH", """{uri: {regex: '/(a+)+$'}, headers: {x-a: {regex: '(?i)v[0-9]+\b.*'}}}""", StringComparison.Ordinal));

        Assert.Empty(result.Diagnostics);
        Assert.Single(result.Resources);
    }
}
