using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;
using Higress.Core.Translation;

namespace Higress.Core.Tests.Translation;

/// <summary>ServiceEntry <c>trafficPolicy.loadBalancer.simple</c> becomes the cluster's YARP load-balancing policy.</summary>
public sealed class LoadBalancingTests
{
    private static string Entry(string policy, string endpoints = "[{address: 10.0.0.1}, {address: 10.0.0.2}]") => $$$"""
        apiVersion: networking.higress.io/v1alpha1
        kind: ServiceEntry
        metadata: {name: ext}
        spec:
          hosts: [api.internal]
          ports: [{number: 80, name: http}]
          endpoints: {{{endpoints}}}
          trafficPolicy: {{{policy}}}
          subsets: [{name: v1, trafficPolicy: {loadBalancer: {simple: RANDOM} } }]
        ---
        apiVersion: networking.higress.io/v1alpha1
        kind: Route
        metadata: {name: r}
        spec:
          http:
          - route: [{destination: {host: api.internal, port: 80}, weight: 50}, {destination: {host: api.internal, port: 80, subset: v1}, weight: 50}]
        """;

    private static (ParseResult Parsed, TranslationResult Result) Translate(string yaml)
    {
        var parsed = ResourceParser.Parse(yaml, new ResourceOrigin("test", "test.yaml", 0, 0));
        return (parsed, Translator.Translate(new ResourceSnapshot(parsed.Resources, parsed.Diagnostics)));
    }

    [Theory]
    [InlineData("{}", "RoundRobin")]
    [InlineData("{loadBalancer: {simple: ROUND_ROBIN}}", "RoundRobin")]
    [InlineData("{loadBalancer: {simple: LEAST_REQUEST}}", "LeastRequests")]
    [InlineData("{loadBalancer: {simple: LEAST_CONN}}", "LeastRequests")]
    [InlineData("{loadBalancer: {simple: random}}", "Random")]
    public void Simple_names_map_to_yarp_policies_and_a_subset_overrides_the_service(string policy, string expected)
    {
        var (parsed, result) = Translate(Entry(policy));

        Assert.DoesNotContain(parsed.Diagnostics, d => d.IsError);
        Assert.Equal(expected, Assert.Single(result.Plan.Clusters, c => !c.Id.EndsWith("/v1", StringComparison.Ordinal)).LoadBalancing);
        Assert.Equal("Random", Assert.Single(result.Plan.Clusters, c => c.Id.EndsWith("/v1", StringComparison.Ordinal)).LoadBalancing);
        Assert.DoesNotContain(result.Diagnostics, d => d.FieldPath.Contains("loadBalancer", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("MAGLEV", "'MAGLEV' is not a valid value")]
    [InlineData("PASSTHROUGH", "'PASSTHROUGH' is not supported")]
    public void An_unknown_or_unsupported_name_is_an_error_naming_object_field_and_fix(string simple, string message)
    {
        var (parsed, result) = Translate(Entry($"{{loadBalancer: {{simple: {simple}}}}}"));

        var error = Assert.Single(parsed.Diagnostics, d => d.IsError);
        Assert.Equal("ServiceEntry default/ext", error.Object);
        Assert.Equal("spec.trafficPolicy.loadBalancer.simple", error.FieldPath);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("use one of: ROUND_ROBIN, LEAST_REQUEST, LEAST_CONN, RANDOM", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(result.Plan.Clusters, c => c.LoadBalancing is not ("RoundRobin" or "LeastRequests" or "Random"));
    }

    [Fact]
    public void Unequal_endpoint_weights_are_reported_as_not_enforced_and_equal_ones_are_not()
    {
        var (_, unequal) = Translate(Entry("{}", "[{address: 10.0.0.1, weight: 1}, {address: 10.0.0.2, weight: 3}]"));
        var (_, equal) = Translate(Entry("{}", "[{address: 10.0.0.1, weight: 2}, {address: 10.0.0.2, weight: 2}]"));

        Assert.Contains(unequal.Diagnostics, d => !d.IsError && d.FieldPath == "spec.endpoints[].weight" && d.Message.Contains("not enforced", StringComparison.Ordinal));
        Assert.DoesNotContain(equal.Diagnostics, d => d.FieldPath.Contains("weight", StringComparison.Ordinal));
    }
}
