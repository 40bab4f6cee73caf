using System.Text.Json.Nodes;
using Higress.EndToEnd.Tests.Infrastructure;

namespace Higress.EndToEnd.Tests.Robustness;

/// <summary>
/// A ConfigDir holding a broken YAML document, a regex that does not compile, a route to a missing Service and a
/// duplicate listener port: each gets a clear error (object, field, fix) in <c>/config_dump</c> and in the object's
/// status, while everything else keeps serving.
/// </summary>
public sealed class BadInputTests(BadInputTests.Fixture fixture) : IClassFixture<BadInputTests.Fixture>
{
    private ConformanceWorld World => fixture.World;

    [Fact]
    public async Task GoodRoutesKeepServing()
    {
        await World.ExpectBackendAsync("same-namespace", "good.example.com", "/", "infra-backend-v1");
        await World.ExpectBackendAsync("same-namespace", "regex.example.com", "/fine", "infra-backend-v2");
        await World.ExpectBackendAsync("same-namespace", "missing.example.com", "/ok", "infra-backend-v3");
        await World.ExpectBackendAsync("same-namespace", "after-broken.example.com", "/", "infra-backend-v2");
    }

    [Fact]
    public async Task BrokenYamlDocument_IsReportedWithItsFile()
    {
        var errors = await ErrorsAsync();
        var error = Assert.Single(errors, e => e.Contains("20-broken.yaml", StringComparison.Ordinal));
        Assert.Contains("line 7", error, StringComparison.Ordinal);
        Assert.Contains("unclosed flow mapping '{' opened at line 6, column 17", error, StringComparison.Ordinal);
        Assert.Contains("close it with '}'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadRegex_IsReportedWithObjectAndField_AndTheRuleIsNotServed()
    {
        var errors = await ErrorsAsync();
        var error = Assert.Single(errors, e => e.Contains("bad-regex", StringComparison.Ordinal));
        Assert.Contains("HTTPRoute gateway-conformance-infra/bad-regex", error, StringComparison.Ordinal);
        Assert.Contains("spec.rules[0].matches[0].path", error, StringComparison.Ordinal);
        Assert.Contains("fix", error, StringComparison.OrdinalIgnoreCase);
        await World.ExpectStatusAsync("same-namespace", "regex.example.com", "/(unclosed", 404);
        Assert.Contains("spec.rules[0].matches[0].path", await StatusJsonAsync("bad-regex"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingService_IsReportedInStatus_AndAnswers500()
    {
        await World.ExpectStatusAsync("same-namespace", "missing.example.com", "/gone", 500);
        var status = await StatusJsonAsync("missing-service");
        Assert.Contains("BackendNotFound", status, StringComparison.Ordinal);
        Assert.Contains("no-such-service", status, StringComparison.Ordinal);
        var error = Assert.Single(await ErrorsAsync(), e => e.Contains("missing-service", StringComparison.Ordinal));
        Assert.Contains("spec.rules[0].backendRefs[0]", error, StringComparison.Ordinal);
        Assert.Contains("create it or fix the reference", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DuplicateListenerPort_IsReportedAsConflicted_AndTheOlderListenerKeepsServing()
    {
        var status = await StatusJsonAsync("Gateway gateway-conformance-infra/duplicate-port");
        Assert.Contains("Conflicted", status, StringComparison.Ordinal);
        var error = Assert.Single(await ErrorsAsync(), e => e.Contains("Gateway gateway-conformance-infra/duplicate-port", StringComparison.Ordinal));
        Assert.Contains("spec.listeners[0].port", error, StringComparison.Ordinal);
        Assert.Contains("same-namespace", error, StringComparison.Ordinal);
        await World.ExpectBackendAsync("same-namespace", "good.example.com", "/", "infra-backend-v1");
    }

    private async Task<List<string>> ErrorsAsync()
    {
        var dump = await World.Gateway.Client.ConfigDumpAsync();
        var diagnostics = dump["errors"]!.AsArray().Select(e => (string)e!).ToList();
        return diagnostics;
    }

    private async Task<string> StatusJsonAsync(string objectSuffix)
    {
        var dump = await World.Gateway.Client.ConfigDumpAsync();
        return dump["statuses"]!.AsArray().Single(s => ((string?)s!["object"])!.EndsWith(objectSuffix, StringComparison.Ordinal))!.ToJsonString();
    }

    public sealed class Fixture : WorldFixture
    {
        protected override string Scenario => """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: good
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: same-namespace}]
              hostnames: [good.example.com]
              rules:
              - backendRefs: [{name: infra-backend-v1, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: bad-regex
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: same-namespace}]
              hostnames: [regex.example.com]
              rules:
              - matches: [{path: {type: RegularExpression, value: "/(unclosed"}}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: regex-neighbour
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: same-namespace}]
              hostnames: [regex.example.com]
              rules:
              - matches: [{path: {type: PathPrefix, value: /fine}}]
                backendRefs: [{name: infra-backend-v2, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: missing-service
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: same-namespace}]
              hostnames: [missing.example.com]
              rules:
              - matches: [{path: {type: PathPrefix, value: /gone}}]
                backendRefs: [{name: no-such-service, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /ok}}]
                backendRefs: [{name: infra-backend-v3, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: duplicate-port
              namespace: gateway-conformance-infra
            spec:
              gatewayClassName: higress
              listeners:
              - name: http
                port: PORT(same-namespace)
                protocol: HTTP
            """;

        protected override IReadOnlyDictionary<string, string>? ExtraFiles => new Dictionary<string, string>
        {
            ["20-broken.yaml"] = """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata:
                  name: broken
                  namespace: gateway-conformance-infra
                spec: [this is: {not valid
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata:
                  name: after-broken
                  namespace: gateway-conformance-infra
                spec:
                  parentRefs: [{name: same-namespace}]
                  hostnames: [after-broken.example.com]
                  rules:
                  - backendRefs: [{name: infra-backend-v2, port: 8080}]
                """,
        };
    }
}
