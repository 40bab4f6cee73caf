using Higress.Core.Plan;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;
using Higress.Core.Tests.Resources;
using Higress.Core.Translation;
using System.Text.RegularExpressions;

namespace Higress.Core.Tests.Translation;

/// <summary>A traffic policy field the runtime does not act on must never look enforced.</summary>
public sealed class ServiceEntryChecksTests
{
    private static TranslationResult Translate(string trafficPolicy, string routeExtras = "")
    {
        var parsed = ResourceParser.Parse(Yaml(trafficPolicy, routeExtras), new ResourceOrigin("test", "test.yaml", 0, 0));
        Assert.DoesNotContain(parsed.Diagnostics, d => d.IsError);
        return Translator.Translate(new ResourceSnapshot(parsed.Resources, parsed.Diagnostics));
    }

    /// <summary>A gateway, ServiceEntry <c>ext</c> with <paramref name="trafficPolicy"/> (indented 4) and a route to it.</summary>
    internal static string Yaml(string trafficPolicy, string routeExtras = "") => $$$"""
            apiVersion: networking.higress.io/v1alpha1
            kind: Gateway
            metadata: {name: gw}
            spec:
              listeners: [{protocol: HTTP, port: 8080}]
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: ServiceEntry
            metadata: {name: ext}
            spec:
              hosts: [api.example.com]
              ports: [{number: 443, name: https, protocol: HTTP}]
              resolution: DNS
              trafficPolicy:
            {{{trafficPolicy}}}
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: r}
            spec:
              http:
              - route: [{destination: {host: api.example.com, port: 443}}]
            {{{routeExtras}}}
            """;

    [Fact]
    public void Each_policy_field_that_is_not_enforced_is_a_warning_and_a_status_condition()
    {
        var result = Translate("""
                outlierDetection: {consecutive5xxErrors: 5, minHealthPercent: 50}
                healthCheck: {path: /healthz}
                connectionPool: {tcp: {maxConnections: 10, tcpKeepalive: {time: 60s}}}
                loadBalancer: {simple: LEAST_REQUEST, warmupDurationSecs: 10s}
            """);

        string[] fields =
        [
            "spec.trafficPolicy.outlierDetection.minHealthPercent",
            "spec.trafficPolicy.connectionPool.tcp.tcpKeepalive",
            "spec.trafficPolicy.loadBalancer.warmupDurationSecs",
        ];
        foreach (var field in fields)
        {
            Assert.Contains(result.Diagnostics, d => !d.IsError && d.Object == "ServiceEntry default/ext" && d.FieldPath == field && d.Message.Contains("not enforced", StringComparison.Ordinal));
        }

        Assert.DoesNotContain(result.Diagnostics, d => d.FieldPath.EndsWith("loadBalancer.simple", StringComparison.Ordinal));
        var condition = Assert.Single(Assert.Single(result.Statuses, s => s.Object == "ServiceEntry default/ext").Conditions, c => c.Type == "Enforced");
        Assert.False(condition.Status);
        Assert.Equal("NotEnforced", condition.Reason);
        Assert.All(fields, f => Assert.Contains(f, condition.Message, StringComparison.Ordinal));
        Assert.Equal("LeastRequests", Assert.Single(result.Plan.Clusters).LoadBalancing);
    }

    [Fact]
    public void Tls_simple_originates_https_verified_against_the_host_unless_insecureSkipVerify()
    {
        var verified = Assert.Single(Translate("    tls: {mode: SIMPLE}").Plan.Clusters);
        var skipped = Assert.Single(Translate("    tls: {mode: SIMPLE, insecureSkipVerify: true}").Plan.Clusters);

        Assert.Equal(UpstreamProtocol.Https, verified.Protocol);
        Assert.Equal("https://api.example.com:443", Assert.Single(verified.Destinations).Address);
        Assert.Equal("api.example.com", verified.Tls!.ServerName);
        Assert.False(verified.Tls.InsecureSkipVerify);
        Assert.False(verified.Tls.HasCustomRoots);
        Assert.True(skipped.Tls!.InsecureSkipVerify);
    }

    [Fact]
    public void Tls_sni_ca_file_and_subjectAltNames_are_enforced_so_none_is_reported()
    {
        var result = Translate("    tls: {mode: SIMPLE, sni: internal.example.com, caCertificates: /etc/ca.pem, subjectAltNames: [spiffe://a/b]}");

        var tls = Assert.Single(result.Plan.Clusters).Tls!;
        Assert.Equal("internal.example.com", tls.ServerName);
        Assert.Equal("/etc/ca.pem", tls.CaFile);
        Assert.Equal(["spiffe://a/b"], tls.SubjectAltNames);
        Assert.DoesNotContain(result.Diagnostics, d => d.FieldPath.Contains(".tls", StringComparison.Ordinal));
    }

    [Fact]
    public void Tls_mutual_with_files_names_them_for_the_runtime()
    {
        var tls = Assert.Single(Translate("    tls: {mode: MUTUAL, clientCertificate: /c.pem, privateKey: /k.pem}").Plan.Clusters).Tls!;

        Assert.Equal("/c.pem", tls.ClientCertificateFile);
        Assert.Equal("/k.pem", tls.PrivateKeyFile);
    }

    [Theory]
    [InlineData("{mode: MUTUAL}", "MUTUAL needs a client certificate")]
    [InlineData("{mode: ISTIO_MUTUAL}", "ISTIO_MUTUAL")]
    [InlineData("{mode: MUTUAL, credentialName: missing}", "Secret default/missing does not exist")]
    public void Tls_that_cannot_be_originated_fails_closed_with_an_error_and_status(string tls, string message)
    {
        var result = Translate("    tls: " + tls);

        Assert.Empty(result.Plan.Clusters);
        var action = Assert.IsType<ForwardAction>(Assert.Single(result.Plan.Routes).Action);
        Assert.Null(Assert.Single(action.Backends).ClusterId);
        Assert.Contains(message, Assert.Single(action.Backends).Error, StringComparison.Ordinal);
        Assert.Contains(result.Diagnostics, d => d.IsError && d.Object == "ServiceEntry default/ext" && d.FieldPath == "spec.trafficPolicy.tls" && d.Message.Contains(message, StringComparison.Ordinal));
        Assert.Contains(Assert.Single(result.Statuses, s => s.Object == "ServiceEntry default/ext").Conditions, c => c is { Type: "Accepted", Status: false });
    }

    [Fact]
    public void Subset_policies_are_checked_too()
    {
        var yaml = """
            apiVersion: networking.higress.io/v1alpha1
            kind: ServiceEntry
            metadata: {name: ext}
            spec:
              hosts: [api.example.com]
              ports: [{number: 80}]
              subsets: [{name: v1, trafficPolicy: {outlierDetection: {consecutive5xxErrors: 1, minHealthPercent: 10}}}]
            """;
        var parsed = ResourceParser.Parse(yaml, new ResourceOrigin("test", "test.yaml", 0, 0));
        var result = Translator.Translate(new ResourceSnapshot(parsed.Resources, parsed.Diagnostics));

        Assert.Contains(result.Diagnostics, d => d.FieldPath == "spec.subsets[0].trafficPolicy.outlierDetection.minHealthPercent" && !d.IsError);
    }

    [Fact]
    public void Enforced_route_fields_timeout_and_rateLimit_leave_no_not_enforced_status()
    {
        var result = Translate("    loadBalancer: {simple: ROUND_ROBIN}", "    timeout: 5s\n    rateLimit: {requestsPerUnit: 1, unit: second}");

        Assert.DoesNotContain(result.Statuses.Where(s => s.Object == "ServiceEntry default/ext").SelectMany(s => s.Conditions), c => c.Type == "Enforced");
        Assert.DoesNotContain(Assert.Single(result.Statuses, s => s.Object == "Route default/r").Conditions, c => c.Type == "Enforced");
    }

    [Fact]
    public void The_docs_mark_exactly_the_fields_reported_as_not_enforced()
    {
        var result = Translate("""
                loadBalancer: {simple: RANDOM, localityLbSetting: {}, warmupDurationSecs: 10s}
                connectionPool: {tcp: {maxConnections: 1, tcpKeepalive: {}}, http: {http2MaxRequests: 1, h2UpgradePolicy: UPGRADE, useClientProtocol: true, maxConcurrentStreams: 1}}
                outlierDetection: {minHealthPercent: 50, splitExternalLocalOriginErrors: true, consecutiveLocalOriginFailures: 3}
                healthCheck: {}
                portLevelSettings: [{}]
                tls: {mode: SIMPLE, sni: a, credentialName: b, caCertificates: c, clientCertificate: d, privateKey: e, subjectAltNames: [f], insecureSkipVerify: true}
            """);
        var sections = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["trafficPolicy"] = "TrafficPolicy",
            ["loadBalancer"] = "LoadBalancerSettings",
            ["outlierDetection"] = "OutlierDetection",
            ["tls"] = "ClientTlsSettings",
            ["tcp"] = "TcpConnectionPoolSettings",
            ["http"] = "HttpConnectionPoolSettings",
        };
        var reported = result.Diagnostics
            .Where(d => d.Object == "ServiceEntry default/ext" && d.Message.Contains("not enforced", StringComparison.Ordinal))
            .Select(d => d.FieldPath.Split('.')[^2..])
            .Select(p => (Section: sections[p[0]], Field: p[1]))
            .ToHashSet();

        var marked = sections.Values
            .SelectMany(section => Regex.Matches(ConfigurationDocsTests.Section(section)!, @"^\| `([^`]+)` \|.*\*\*Not enforced yet\.\*\*", RegexOptions.Multiline).Select(m => (Section: section, Field: m.Groups[1].Value)))
            .ToHashSet();

        Assert.Equal(marked.Order(), reported.Order());
    }
}
