using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;
using Higress.Hosting.Sources;

namespace Higress.Hosting.Tests.Sources;

public class CodeResourceSourceTests
{
    [Fact]
    public void Builder_produces_the_same_objects_as_yaml()
    {
        using var source = new CodeResourceSource(h => h
            .AddRoute("orders", r => r
                .Host("api.example.com")
                .Match(m => m.PathPrefix("/orders").Method("GET").Header("x-canary", "true"))
                .To("orders", 8080, weight: 90)
                .To("orders-v2", 8080, weight: 10)
                .Timeout(TimeSpan.FromSeconds(10))
                .Rule("fallback")
                .DirectResponse(503, "maintenance"))
            .AddService("orders", port: 8080, endpoints: ["127.0.0.1:5001", "127.0.0.2"])
            .AddGateway("gw", g => g.Http(80)));

        var yaml = ResourceParser.Parse("""
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: orders}
            spec:
              hosts: [api.example.com]
              http:
              - match: [{uri: {prefix: /orders}, method: {exact: GET}, headers: {x-canary: {exact: "true"}}}]
                route:
                - {destination: {host: orders, port: 8080}, weight: 90}
                - {destination: {host: orders-v2, port: 8080}, weight: 10}
                timeout: 10s
              - name: fallback
                directResponse: {status: 503, body: {string: maintenance}}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: orders}
            spec: {ports: [{port: 8080}]}
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: orders-code-0, labels: {kubernetes.io/service-name: orders}}
            addressType: IPv4
            endpoints: [{addresses: [127.0.0.1]}]
            ports: [{port: 5001}]
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: orders-code-1, labels: {kubernetes.io/service-name: orders}}
            addressType: IPv4
            endpoints: [{addresses: [127.0.0.2]}]
            ports: [{port: 8080}]
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Gateway
            metadata: {name: gw}
            spec:
              listeners: [{protocol: HTTP, port: 80}]
            """, ResourceOrigin.Code);

        Assert.Empty(yaml.Diagnostics);
        Assert.Empty(source.Current.Diagnostics);
        Assert.Equal(yaml.Resources, source.Current.Resources);
        Assert.Equal("code", source.Current.Resources[0].Origin.SourceName);
    }

    [Fact]
    public void Endpoints_are_grouped_by_port_and_address_type()
    {
        using var source = new CodeResourceSource(h => h.AddService("a", 80, ["10.0.0.1", "10.0.0.2:80", "[::1]:80"]));

        var slices = source.Current.Resources.OfType<EndpointSlice>().ToList();
        Assert.Equal(["a-code-0", "a-code-1"], slices.Select(s => s.Name));
        Assert.Equal(["IPv4", "IPv6"], slices.Select(s => s.AddressType));
        Assert.Equal(["10.0.0.1", "10.0.0.2"], slices[0].Endpoints.Select(e => e.Addresses[0]));
        Assert.Equal("::1", slices[1].Endpoints[0].Addresses[0]);
        using var names = new CodeResourceSource(h => h.AddService("b", 80, ["localhost:81", "example.com:81"]));
        var single = names.Current.Resources.OfType<EndpointSlice>().Single();
        Assert.Equal(("b-code", "FQDN", 81), (single.Name, single.AddressType, single.Ports[0].Port));
    }

    [Fact]
    public void Invalid_code_objects_are_dropped_with_the_parser_message()
    {
        using var source = new CodeResourceSource(h => h
            .AddRoute("bad", r => r.Match(m => m.PathRegex("(")).To("a"))
            .AddYaml("apiVersion: v1\nkind: Service\nmetadata: {name: ok}\n"));

        Assert.Equal(["ok"], source.Current.Resources.Select(r => r.Name));
        Assert.Equal("Route default/bad: spec.http[0].match[0].uri.regex: '(' is unclosed; fix the regular expression '('", Assert.Single(source.Current.Diagnostics).ToString());
    }

    [Fact]
    public void Update_replaces_objects_and_fires()
    {
        using var source = new CodeResourceSource(h => h.AddService("a", 80));
        var token = source.GetChangeToken();

        source.Update(h => h.AddService("b", 80).AddExtension("auth", "key-auth", new { keys = new[] { "x-api-key" } }, s => s with { Phase = PluginPhase.Authn }));

        Assert.True(token.HasChanged);
        Assert.Equal(["b", "auth"], source.Current.Resources.Select(r => r.Name));
        var extension = source.Current.Resources.OfType<Extension>().Single();
        Assert.Equal("x-api-key", extension.Spec.Config!.Element.GetProperty("keys")[0].GetString());
    }
}
