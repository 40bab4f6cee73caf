using Higress.EndToEnd.Tests.Infrastructure;

namespace Higress.EndToEnd.Tests.GatewayApi;

/// <summary>
/// HTTPRouteWeight (distribution and weight 0), HTTPRouteInvalidBackendRefNonexistent / UnknownKind (500 while other
/// rules keep serving) and a rule whose only backend has weight 0.
/// </summary>
public sealed class BackendTests(BackendTests.Fixture fixture) : IClassFixture<BackendTests.Fixture>
{
    private ConformanceWorld World => fixture.World;

    [Fact]
    public async Task Weights_DistributionMatches_WeightZeroNeverChosen()
    {
        const int total = 500;
        var counts = new Dictionary<string, int>();
        for (var i = 0; i < total; i += 10)
        {
            var batch = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => World.SendAsync("same-namespace", "weights.example.com", "/")));
            foreach (var response in batch)
            {
                Assert.Equal(200, response.Code);
                var pod = response.Echo.Pod;
                counts[pod] = counts.GetValueOrDefault(pod) + 1;
            }
        }

        Assert.Equal(0, counts.GetValueOrDefault("infra-backend-v3"));
        var v1 = counts.GetValueOrDefault("infra-backend-v1") / (double)total;
        var v2 = counts.GetValueOrDefault("infra-backend-v2") / (double)total;
        Assert.InRange(v1, 0.70 - 0.08, 0.70 + 0.08);
        Assert.InRange(v2, 0.30 - 0.08, 0.30 + 0.08);
    }

    [Fact]
    public async Task MissingService_Answers500_OtherRulesKeepServing()
    {
        await World.ExpectStatusAsync("same-namespace", "invalid.example.com", "/missing", 500);
        await World.ExpectBackendAsync("same-namespace", "invalid.example.com", "/valid", "infra-backend-v1");
    }

    [Fact]
    public async Task MissingService_ReportsBackendNotFound()
    {
        var dump = await World.Gateway.Client.ConfigDumpAsync();
        var status = dump["statuses"]!.AsArray().Single(s => ((string?)s!["object"])!.EndsWith("/invalid-backends", StringComparison.Ordinal));
        var json = status!.ToJsonString();
        Assert.Contains("BackendNotFound", json, StringComparison.Ordinal);
        Assert.Contains("does-not-exist", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownBackendKind_Answers500()
    {
        await World.ExpectStatusAsync("same-namespace", "invalid-kind.example.com", "/", 500);
        var dump = await World.Gateway.Client.ConfigDumpAsync();
        var status = dump["statuses"]!.AsArray().Single(s => ((string?)s!["object"])!.EndsWith("/invalid-backend-kind", StringComparison.Ordinal));
        Assert.Contains("InvalidKind", status!.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/wrong-port")]
    [InlineData("/no-port")]
    public async Task ServicePortMissingOrUnknown_Answers500(string path)
    {
        await World.ExpectStatusAsync("same-namespace", "invalid.example.com", path, 500);
        await World.ExpectBackendAsync("same-namespace", "invalid.example.com", "/valid", "infra-backend-v1");
    }

    [Fact]
    public async Task OnlyBackendHasWeightZero_Answers500()
    {
        await World.ExpectStatusAsync("same-namespace", "invalid.example.com", "/all-zero", 500);
    }

    [Fact]
    public async Task InvalidAndValidBackendInOneRule_InvalidShareAnswers500_ValidShareServes()
    {
        var codes = new List<int>();
        for (var i = 0; i < 60; i++)
        {
            var response = await World.SendAsync("same-namespace", "invalid.example.com", "/half-invalid");
            codes.Add(response.Code);
            if (response.Code == 200)
            {
                Assert.Equal("infra-backend-v1", response.Echo.Pod);
            }
        }

        Assert.Contains(200, codes);
        Assert.Contains(500, codes);
        Assert.All(codes, c => Assert.True(c is 200 or 500, $"unexpected {c}"));
    }

    public sealed class Fixture : WorldFixture
    {
        protected override string Scenario => """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: weighted-backends
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: same-namespace}]
              hostnames: [weights.example.com]
              rules:
              - matches: [{path: {type: PathPrefix, value: /}}]
                backendRefs:
                - {name: infra-backend-v1, port: 8080, weight: 70}
                - {name: infra-backend-v2, port: 8080, weight: 30}
                - {name: infra-backend-v3, port: 8080, weight: 0}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: invalid-backends
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: same-namespace}]
              hostnames: [invalid.example.com]
              rules:
              - matches: [{path: {type: PathPrefix, value: /missing}}]
                backendRefs: [{name: does-not-exist, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /valid}}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
              - matches: [{path: {type: PathPrefix, value: /wrong-port}}]
                backendRefs: [{name: infra-backend-v2, port: 9999}]
              - matches: [{path: {type: PathPrefix, value: /no-port}}]
                backendRefs: [{name: infra-backend-v2}]
              - matches: [{path: {type: PathPrefix, value: /all-zero}}]
                backendRefs: [{name: infra-backend-v1, port: 8080, weight: 0}]
              - matches: [{path: {type: PathPrefix, value: /half-invalid}}]
                backendRefs:
                - {name: infra-backend-v1, port: 8080, weight: 50}
                - {name: does-not-exist-either, port: 8080, weight: 50}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: invalid-backend-kind
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: same-namespace}]
              hostnames: [invalid-kind.example.com]
              rules:
              - backendRefs: [{group: unknown.example.com, kind: UnknownKind, name: infra-backend-v1, port: 8080}]
            """;
    }
}
