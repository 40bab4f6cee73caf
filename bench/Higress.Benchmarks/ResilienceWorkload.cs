using System.Globalization;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;

namespace Higress.Benchmarks;

/// <summary>
/// The configuration of <c>bench/resilience.sh</c>: one native Gateway and ServiceEntries on loopback, with one route
/// per measured target, so that every target runs in the same gateway process and differs from its baseline by one
/// feature only.
/// <list type="bullet">
/// <item><c>/plain</c>: to <c>primary.bench</c> (the fast backend), no policy: the baseline of both comparisons.</item>
/// <item><c>/mirror-slow</c>, <c>/mirror-refused</c>, <c>/mirror-healthy</c>: <c>/plain</c> plus a mirror to a
/// backend that sleeps, a port that refuses connections, or a second fast backend.</item>
/// <item><c>/resilient</c>: to <c>guarded.bench</c> (the same backend) with <c>retries</c> (3 attempts on 5xx) and a
/// <c>timeout</c>; that ServiceEntry has <c>outlierDetection</c> and <c>connectionPool</c> limits far above the load.</item>
/// <item><c>/timeout-only</c>, <c>/retries-only</c>, <c>/policy-only</c>: one part of <c>/resilient</c> each (the timeout,
/// the retries, or the ServiceEntry's policy), to tell which part costs what.</item>
/// </list>
/// </summary>
public static class ResilienceWorkload
{
    /// <summary>The routes' paths by target name, as the script requests them.</summary>
    public static readonly IReadOnlyDictionary<string, string> Paths = new Dictionary<string, string>
    {
        ["plain"] = "/plain/items/42",
        ["mirror-slow"] = "/mirror-slow/items/42",
        ["mirror-refused"] = "/mirror-refused/items/42",
        ["mirror-healthy"] = "/mirror-healthy/items/42",
        ["resilient"] = "/resilient/items/42",
        ["timeout-only"] = "/timeout-only/items/42",
        ["retries-only"] = "/retries-only/items/42",
        ["policy-only"] = "/policy-only/items/42",
    };

    /// <summary>The ports the configuration points at.</summary>
    /// <param name="Listener">The gateway's HTTP listener.</param>
    /// <param name="Backend">The fast backend every primary request goes to.</param>
    /// <param name="SlowMirror">A backend that answers after a long sleep.</param>
    /// <param name="RefusedMirror">A loopback port nothing listens on.</param>
    /// <param name="HealthyMirror">A second fast backend.</param>
    public sealed record Ports(int Listener, int Backend, int SlowMirror, int RefusedMirror, int HealthyMirror);

    // Every resilience feature on, with limits the load never reaches: the cost of the machinery, not of a refusal.
    private const string GuardedPolicy = """
      trafficPolicy:
        outlierDetection: {consecutive5xxErrors: 5, consecutiveGatewayErrors: 5, interval: 10s, baseEjectionTime: 30s, maxEjectionPercent: 50}
        connectionPool:
          tcp: {maxConnections: 100000}
          http: {http1MaxPendingRequests: 100000, http2MaxRequests: 100000, maxRetries: 100000}
    """;

    /// <summary>The YAML of the whole configuration.</summary>
    public static string Yaml(Ports ports) => string.Create(CultureInfo.InvariantCulture, $$$"""
        apiVersion: networking.higress.io/v1alpha1
        kind: Gateway
        metadata: {name: bench-gateway}
        spec:
          listeners:
          - {name: web, protocol: HTTP, port: {{{ports.Listener}}} }
        {{{Service("primary", ports.Backend, null)}}}
        {{{Service("guarded", ports.Backend, GuardedPolicy)}}}
        {{{Service("mirror-slow", ports.SlowMirror, null)}}}
        {{{Service("mirror-refused", ports.RefusedMirror, null)}}}
        {{{Service("mirror-healthy", ports.HealthyMirror, null)}}}
        ---
        apiVersion: networking.higress.io/v1alpha1
        kind: Route
        metadata: {name: bench-resilience}
        spec:
          gateways: [bench-gateway]
          http:
          - name: plain
            match: [{uri: {prefix: /plain}}]
            route: [{destination: {host: primary.bench, port: 80}}]
        {{{MirrorRule("mirror-slow")}}}
        {{{MirrorRule("mirror-refused")}}}
        {{{MirrorRule("mirror-healthy")}}}
          - name: resilient
            match: [{uri: {prefix: /resilient}}]
            route: [{destination: {host: guarded.bench, port: 80}}]
            retries: {attempts: 3, retryOn: 5xx}
            timeout: 10s
          - name: timeout-only
            match: [{uri: {prefix: /timeout-only}}]
            route: [{destination: {host: primary.bench, port: 80}}]
            timeout: 10s
          - name: retries-only
            match: [{uri: {prefix: /retries-only}}]
            route: [{destination: {host: primary.bench, port: 80}}]
            retries: {attempts: 3, retryOn: 5xx}
          - name: policy-only
            match: [{uri: {prefix: /policy-only}}]
            route: [{destination: {host: guarded.bench, port: 80}}]

        """);

    /// <summary>Parses <see cref="Yaml"/>; throws if the generator wrote anything the parser rejects.</summary>
    public static IReadOnlyList<Resource> Resources(Ports ports)
    {
        var result = ResourceParser.Parse(Yaml(ports), new ResourceOrigin("bench-resilience", null, 0, 0));
        if (result.Diagnostics.Count > 0)
        {
            throw new InvalidOperationException("the generated resilience configuration does not parse: " + string.Join("; ", result.Diagnostics));
        }

        return result.Resources;
    }

    private static string Service(string name, int port, string? policy) => string.Create(CultureInfo.InvariantCulture, $$$"""
        ---
        apiVersion: networking.higress.io/v1alpha1
        kind: ServiceEntry
        metadata: {name: {{{name}}} }
        spec:
          hosts: [{{{name}}}.bench]
          ports: [{number: 80, name: http}]
          resolution: STATIC
          endpoints: [{address: 127.0.0.1, ports: {http: {{{port}}} } }]
        {{{policy}}}
        """);

    // The same rule as "plain" (same backend, no policy) plus one mirror.
    private static string MirrorRule(string mirror) => $$$"""
          - name: {{{mirror}}}
            match: [{uri: {prefix: /{{{mirror}}} } }]
            route: [{destination: {host: primary.bench, port: 80}}]
            mirror: {host: {{{mirror}}}.bench, port: 80}
        """;
}
