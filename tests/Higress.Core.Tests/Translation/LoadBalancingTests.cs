using Higress.Core.Plan;
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

    [Theory]
    [InlineData("{}", "Higress.WeightedRoundRobin")]
    [InlineData("{loadBalancer: {simple: RANDOM}}", "Higress.WeightedRandom")]
    [InlineData("{loadBalancer: {simple: LEAST_REQUEST}}", "Higress.WeightedLeastRequest")]
    public void Unequal_endpoint_weights_pick_the_weighted_policy_and_equal_ones_keep_yarps(string policy, string expected)
    {
        var (_, unequal) = Translate(Entry(policy, "[{address: 10.0.0.1, weight: 1}, {address: 10.0.0.2, weight: 3}]"));
        var (_, equal) = Translate(Entry(policy, "[{address: 10.0.0.1, weight: 2}, {address: 10.0.0.2, weight: 2}]"));

        var cluster = Assert.Single(unequal.Plan.Clusters, c => !c.Id.EndsWith("/v1", StringComparison.Ordinal));
        Assert.Equal(expected, cluster.LoadBalancing);
        Assert.Equal([1, 3], cluster.Destinations.Select(d => d.Weight));
        Assert.DoesNotContain(unequal.Diagnostics, d => d.FieldPath.Contains("weight", StringComparison.Ordinal));
        Assert.DoesNotContain(equal.Plan.Clusters, c => c.LoadBalancing.StartsWith("Higress.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{httpHeaderName: x-user}", HashKeySource.Header, "x-user", false, 1024)]
    [InlineData("{httpQueryParameterName: u, ringHash: {minimumRingSize: 4096}}", HashKeySource.QueryParameter, "u", false, 4096)]
    [InlineData("{useSourceIp: true, minimumRingSize: 2048}", HashKeySource.SourceIp, "", false, 2048)]
    [InlineData("{httpCookie: {name: sticky, path: /, ttl: 3600s}, maglev: {}}", HashKeySource.Cookie, "sticky", true, 65537)]
    [InlineData("{httpHeaderName: x-user, maglev: {tableSize: 5003}}", HashKeySource.Header, "x-user", true, 5003)]
    public void Consistent_hash_becomes_the_clusters_plan_and_policy(string hash, HashKeySource source, string name, bool maglev, int size)
    {
        var (parsed, result) = Translate(Entry($"{{loadBalancer: {{consistentHash: {hash}}}}}"));

        Assert.DoesNotContain(parsed.Diagnostics, d => d.IsError);
        var cluster = Assert.Single(result.Plan.Clusters, c => !c.Id.EndsWith("/v1", StringComparison.Ordinal));
        Assert.Equal("Higress.ConsistentHash", cluster.LoadBalancing);
        Assert.Equal(new ConsistentHashPlan(source, name, maglev, size) { CookiePath = cluster.ConsistentHash?.CookiePath, CookieTtl = cluster.ConsistentHash?.CookieTtl }, cluster.ConsistentHash);
        Assert.DoesNotContain(result.Diagnostics, d => d.FieldPath.Contains("loadBalancer", StringComparison.Ordinal));
        if (source == HashKeySource.Cookie)
        {
            Assert.Equal("/", cluster.ConsistentHash!.CookiePath);
            Assert.Equal(TimeSpan.FromHours(1), cluster.ConsistentHash.CookieTtl);
        }
    }

    [Fact]
    public void A_cookie_ttl_of_0s_makes_a_session_cookie()
    {
        var (_, result) = Translate(Entry("{loadBalancer: {consistentHash: {httpCookie: {name: s, ttl: 0s}}}}"));

        Assert.Null(Assert.Single(result.Plan.Clusters, c => !c.Id.EndsWith("/v1", StringComparison.Ordinal)).ConsistentHash!.CookieTtl);
    }

    [Theory]
    [InlineData("{loadBalancer: {consistentHash: {}}}", "spec.trafficPolicy.loadBalancer.consistentHash", "consistentHash has no key", "set exactly one of httpHeaderName, httpCookie, useSourceIp: true, httpQueryParameterName")]
    [InlineData("{loadBalancer: {consistentHash: {useSourceIp: false}}}", "spec.trafficPolicy.loadBalancer.consistentHash", "consistentHash has no key", "set exactly one of")]
    [InlineData("{loadBalancer: {consistentHash: {httpHeaderName: a, httpQueryParameterName: b}}}", "spec.trafficPolicy.loadBalancer.consistentHash", "takes only one key", "set exactly one of")]
    [InlineData("{loadBalancer: {simple: RANDOM, consistentHash: {httpHeaderName: a}}}", "spec.trafficPolicy.loadBalancer.consistentHash", "simple and consistentHash are exclusive", "keep one of simple, consistentHash")]
    [InlineData("{loadBalancer: {consistentHash: {httpHeaderName: a, maglev: {}, ringHash: {}}}}", "spec.trafficPolicy.loadBalancer.consistentHash.maglev", "exclusive", "keep one of maglev, ringHash")]
    [InlineData("{loadBalancer: {consistentHash: {httpHeaderName: a, maglev: {tableSize: 65536}}}}", "spec.trafficPolicy.loadBalancer.consistentHash.maglev.tableSize", "65536 is not a prime", "use a prime such as 65537")]
    [InlineData("{loadBalancer: {consistentHash: {httpCookie: {path: /}}}}", "spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.name", "", "")]
    public void A_bad_consistent_hash_is_an_error_naming_object_field_and_fix(string policy, string field, string message, string fix)
    {
        var (parsed, _) = Translate(Entry(policy));

        var error = Assert.Single(parsed.Diagnostics, d => d.IsError);
        Assert.Equal("ServiceEntry default/ext", error.Object);
        Assert.Equal(field, error.FieldPath);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains(fix, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Endpoints_that_all_weigh_0_are_an_error()
    {
        var (parsed, _) = Translate(Entry("{}", "[{address: 10.0.0.1, weight: 0}, {address: 10.0.0.2, weight: 0}]"));

        var error = Assert.Single(parsed.Diagnostics, d => d.IsError);
        Assert.Equal("ServiceEntry default/ext", error.Object);
        Assert.Equal("spec.endpoints", error.FieldPath);
        Assert.Contains("give at least one endpoint a weight above 0", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Native_route_weights_that_sum_to_0_are_an_error_naming_the_rule()
    {
        var (parsed, _) = Translate(Entry("{}").Replace("weight: 50}", "weight: 0}", StringComparison.Ordinal));

        var error = Assert.Single(parsed.Diagnostics, d => d.IsError);
        Assert.Equal("Route default/r", error.Object);
        Assert.Equal("spec.http[0].route", error.FieldPath);
        Assert.Contains("weights sum to 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("give at least one destination a weight above 0", error.ToString(), StringComparison.Ordinal);
    }
}
