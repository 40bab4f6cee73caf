using System.Net;
using System.Text.RegularExpressions;
using Higress.Core.Routing;
using Higress.EndToEnd.Tests.Infrastructure;

namespace Higress.EndToEnd.Tests.Robustness;

/// <summary>
/// Regexes through a real listener: the catastrophic <c>(a+)+$</c> answers crafted paths and headers correctly on the
/// linear-time engine, and patterns that need backtracking are configuration errors naming object and field while
/// the rest serves.
/// </summary>
public sealed class RegexTests(RegexTests.Fixture fixture) : IClassFixture<RegexTests.Fixture>
{
    private static readonly string As = new('a', 40);

    private ConformanceWorld World => fixture.World;

    [Fact]
    public async Task CatastrophicPattern_AnswersCraftedPathsCorrectly()
    {
        for (var i = 0; i < 5; i++)
        {
            await World.ExpectBackendAsync("same-namespace", "dos.example.com", "/" + As, "infra-backend-v1");
            await World.ExpectBackendAsync("same-namespace", "dos.example.com", "/" + As + "!", "infra-backend-v2");
        }
    }

    [Fact]
    public async Task CatastrophicPattern_AnswersCraftedHeadersCorrectly()
    {
        await World.ExpectBackendAsync("same-namespace", "dos.example.com", "/h", "infra-backend-v3", headers: [new("x-probe", As)]);
        await World.ExpectBackendAsync("same-namespace", "dos.example.com", "/h", "infra-backend-v2", headers: [new("x-probe", As + "!")]);
    }

    [Theory]
    [InlineData("Route gateway-conformance-infra/backreference: spec.http[0].match[0].uri.regex: '/(a)\\1' uses backreference")]
    [InlineData("HTTPRoute gateway-conformance-infra/lookahead: spec.rules[0].matches[0].headers[0].value: '(?=a)a' uses positive lookahead")]
    public async Task BacktrackingPattern_IsAnErrorNamingObjectAndField(string expected)
    {
        var dump = await World.Gateway.Client.ConfigDumpAsync();
        var errors = dump["errors"]!.AsArray().Select(e => (string)e!);

        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
        await World.ExpectBackendAsync("same-namespace", "dos.example.com", "/" + As, "infra-backend-v1");
    }

    [Fact]
    public async Task MatchTimeout_IsCountedOnMetrics()
    {
        // The router's patterns cannot be made to time out on demand; a one-tick budget on an automaton that
        // explodes (.*a.{30}b over 8 KB of random a/b) can, and goes through the same counting path.
        var random = new Random(7);
        var input = new string([.. Enumerable.Range(0, 8192).Select(_ => random.Next(2) == 0 ? 'a' : 'b')]);
        Assert.False(RegexCache.IsFullMatch(new Regex(@"\A(?:.*a.{30}b)\z", RegexOptions.NonBacktracking, TimeSpan.FromTicks(1)), input));

        var (status, body) = await World.Gateway.Client.AdminAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("# TYPE higress_regex_match_timeouts_total counter", body, StringComparison.Ordinal);
    }

    public sealed class Fixture : WorldFixture
    {
        protected override string Scenario => """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: catastrophic
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: same-namespace}]
              hostnames: [dos.example.com]
              rules:
              - matches: [{path: {type: RegularExpression, value: "/(a+)+$"}}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
              - matches: [{path: {type: Exact, value: /h}, headers: [{type: RegularExpression, name: x-probe, value: "(a+)+$"}]}]
                backendRefs: [{name: infra-backend-v3, port: 8080}]
              - backendRefs: [{name: infra-backend-v2, port: 8080}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: lookahead
              namespace: gateway-conformance-infra
            spec:
              parentRefs: [{name: same-namespace}]
              hostnames: [dos.example.com]
              rules:
              - matches: [{headers: [{type: RegularExpression, name: x-a, value: "(?=a)a"}]}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata:
              name: backreference
              namespace: gateway-conformance-infra
            spec:
              http:
              - match: [{uri: {regex: '/(a)\1'}}]
                route: [{destination: {host: infra-backend-v1, port: 8080}}]
            """;
    }
}
