using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;

namespace Higress.Benchmarks;

/// <summary>
/// The configuration every benchmark and the load test share: one native Gateway with an HTTP listener, and
/// <c>routes</c> Route objects with distinct prefixes <c>/svc{i}</c>, spread over one Service per ten routes.
/// Every tenth route (i % 10 == 5) is bound to the hostname <c>h{i}.example.com</c>; every tenth (i % 10 == 3)
/// has an extra canary rule on the same prefix that needs <c>x-canary: true</c>. The rest are plain prefix routes.
/// </summary>
public static class BenchWorkload
{
    private static readonly ConcurrentDictionary<(int Routes, int ListenerPort, int BackendPort, string BackendAddress), IReadOnlyList<Resource>> Cache = new();

    /// <summary>The header that canary rules match.</summary>
    public const string CanaryHeader = "x-canary";

    /// <summary>The Host that plain requests carry (no route is bound to it, so they use the any-host rules).</summary>
    public const string PlainHost = "bench.local";

    /// <summary>A route index that is a plain prefix route, near the middle of the table.</summary>
    public static int Middle(int routes) => PlainIndexNear(routes / 2, routes);

    /// <summary>The last plain prefix route.</summary>
    public static int Last(int routes) => PlainIndexNear(routes - 1, routes);

    /// <summary>The YAML of the whole configuration.</summary>
    public static string Yaml(int routes, int listenerPort, int backendPort, string backendAddress = "127.0.0.1")
    {
        var yaml = new StringBuilder(routes * 260);
        var inv = CultureInfo.InvariantCulture;
        yaml.Append(inv, $"""
            apiVersion: networking.higress.io/v1alpha1
            kind: Gateway
            metadata: {"{"}name: bench-gateway{"}"}
            spec:
              listeners:
              - name: web
                protocol: HTTP
                port: {listenerPort}

            """);
        for (var s = 0; s < Services(routes); s++)
        {
            yaml.Append(inv, $"""
                ---
                apiVersion: v1
                kind: Service
                metadata: {"{"}name: svc-{s}{"}"}
                spec: {"{"}ports: [{"{"}port: 80{"}"}]{"}"}
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {"{"}name: svc-{s}-1, labels: {"{"}kubernetes.io/service-name: svc-{s}{"}"}{"}"}
                addressType: IPv4
                endpoints: [{"{"}addresses: ["{backendAddress}"]{"}"}]
                ports: [{"{"}port: {backendPort}{"}"}]

                """);
        }

        for (var i = 0; i < routes; i++)
        {
            var destination = $"route: [{{destination: {{host: svc-{i / 10}, port: 80}}}}]";
            yaml.Append(inv, $"""
                ---
                apiVersion: networking.higress.io/v1alpha1
                kind: Route
                metadata: {"{"}name: r{i}{"}"}
                spec:
                  gateways: [bench-gateway]

                """);
            if (i % 10 == 5)
            {
                yaml.Append(inv, $"  hosts: [h{i}.example.com]\n");
            }

            yaml.Append("  http:\n");
            if (i % 10 == 3)
            {
                yaml.Append(inv, $"  - name: canary\n    match: [{{uri: {{prefix: /svc{i}}}, headers: {{{CanaryHeader}: {{exact: \"true\"}}}}}}]\n    {destination}\n");
            }

            yaml.Append(inv, $"  - name: main\n    match: [{{uri: {{prefix: /svc{i}}}}}]\n    {destination}\n");
        }

        return yaml.ToString();
    }

    /// <summary>The API key the key-auth benchmarks send (header <see cref="ApiKeyHeader"/>).</summary>
    public const string ApiKey = "bench-key-0001";

    /// <summary>The header key-auth reads the key from.</summary>
    public const string ApiKeyHeader = "x-api-key";

    /// <summary>
    /// A key-auth Extension (Higress's config shape) on one route, <c>r{route}</c>: the load test compares that route's
    /// throughput with a plain route's in the same host.
    /// </summary>
    public static string KeyAuthYaml(int route) => string.Create(CultureInfo.InvariantCulture, $"""
        apiVersion: networking.higress.io/v1alpha1
        kind: Extension
        metadata: {"{"}name: bench-key-auth{"}"}
        spec:
          plugin: key-auth
          targetRefs: [{"{"}kind: Route, name: r{route}{"}"}]
          config:
            consumers:
            - {"{"}name: consumer1, credential: {ApiKey}{"}"}
            - {"{"}name: consumer2, credential: bench-key-0002{"}"}
            keys: [{ApiKeyHeader}]

        """);

    /// <summary>A plain route other than <see cref="Middle"/>, for the key-auth comparison.</summary>
    public static int SecondPlain(int routes) => PlainIndexNear(Math.Min(routes - 1, Middle(routes) + 1), routes);

    /// <summary>
    /// The parsed objects of <see cref="Yaml"/>; throws if the generator wrote anything the parser rejects. Cached:
    /// parsing 10,000 routes takes over a second, and the objects are immutable, so every benchmark case shares them.
    /// </summary>
    public static IReadOnlyList<Resource> Resources(int routes, int listenerPort = 8080, int backendPort = 5080, string backendAddress = "127.0.0.1") =>
        Cache.GetOrAdd((routes, listenerPort, backendPort, backendAddress), key => Parse(key.Routes, key.ListenerPort, key.BackendPort, key.BackendAddress));

    private static IReadOnlyList<Resource> Parse(int routes, int listenerPort, int backendPort, string backendAddress)
    {
        var result = ResourceParser.Parse(Yaml(routes, listenerPort, backendPort, backendAddress), new ResourceOrigin("bench", null, 0, 0));
        if (result.Diagnostics.Count > 0)
        {
            throw new InvalidOperationException("the generated configuration does not parse: " + string.Join("; ", result.Diagnostics));
        }

        return result.Resources;
    }

    private static int Services(int routes) => Math.Max(1, (routes + 9) / 10);

    private static int PlainIndexNear(int index, int routes)
    {
        while (index % 10 is 3 or 5)
        {
            index = index + 1 < routes ? index + 1 : index - 1;
        }

        return index;
    }
}
