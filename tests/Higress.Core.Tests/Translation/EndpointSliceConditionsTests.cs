using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;
using Higress.Core.Translation;

namespace Higress.Core.Tests.Translation;

/// <summary>Which EndpointSlice endpoints receive traffic: kube-proxy's choice of ready, then serving-while-terminating.</summary>
public sealed class EndpointSliceConditionsTests
{
    private static string[] Destinations(params string[] endpoints)
    {
        var yaml = $$$"""
            apiVersion: networking.higress.io/v1alpha1
            kind: Gateway
            metadata: {name: gw}
            spec:
              listeners: [{protocol: HTTP, port: 8080}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: svc}
            spec:
              ports: [{name: http, port: 80, targetPort: 8080}]
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: svc-a, labels: {kubernetes.io/service-name: svc}}
            addressType: IPv4
            ports: [{name: http, port: 8080}]
            endpoints:
            {{{string.Join("\n", endpoints.Select(e => "- " + e))}}}
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: r}
            spec:
              hosts: ["*"]
              http:
              - route: [{destination: {host: svc, port: 80}}]
            """;
        var parsed = ResourceParser.Parse(yaml, new ResourceOrigin("test", "test.yaml", 0, 0));
        Assert.DoesNotContain(parsed.Diagnostics, d => d.IsError);
        var result = Translator.Translate(new ResourceSnapshot(parsed.Resources, parsed.Diagnostics));
        var cluster = Assert.Single(result.Plan.Clusters);
        return [.. cluster.Destinations.Select(d => d.Id).Order(StringComparer.Ordinal)];
    }

    [Fact]
    public void Ready_endpoints_and_endpoints_without_conditions_receive_traffic_and_not_ready_ones_do_not()
    {
        var ids = Destinations(
            "{addresses: [10.0.0.1], conditions: {ready: true}}",
            "{addresses: [10.0.0.2]}",
            "{addresses: [10.0.0.3], conditions: {ready: false}}",
            "{addresses: [10.0.0.4], conditions: {ready: false, serving: true, terminating: true}}");

        Assert.Equal(["10.0.0.1:8080", "10.0.0.2:8080"], ids);
    }

    [Fact]
    public void When_nothing_is_ready_the_endpoints_still_serving_while_terminating_take_the_traffic()
    {
        var ids = Destinations(
            "{addresses: [10.0.0.3], conditions: {ready: false}}",
            "{addresses: [10.0.0.4], conditions: {ready: false, serving: true, terminating: true}}",
            "{addresses: [10.0.0.5], conditions: {ready: false, serving: false, terminating: true}}");

        Assert.Equal(["10.0.0.4:8080"], ids);
    }

    [Fact]
    public void An_endpoint_marked_terminating_is_not_ready_even_if_ready_is_unset()
    {
        var ids = Destinations(
            "{addresses: [10.0.0.1], conditions: {ready: true}}",
            "{addresses: [10.0.0.6], conditions: {terminating: true}}");

        Assert.Equal(["10.0.0.1:8080"], ids);
    }

    [Fact]
    public void An_address_listed_twice_counts_once()
    {
        var ids = Destinations(
            "{addresses: [10.0.0.1], conditions: {ready: true}}",
            "{addresses: [10.0.0.1], conditions: {ready: true}}");

        Assert.Equal(["10.0.0.1:8080"], ids);
    }
}
