using System.Globalization;
using Higress.EndToEnd.Tests.Security;

namespace Higress.EndToEnd.Tests.Plugins;

/// <summary>
/// key-rate-limit and the Route <c>rateLimit</c> by consumer, through a real listener to a real backend. Limits are
/// per minute, so no refill lands mid-test: the tests count, never time.
/// </summary>
public sealed class KeyRateLimitTests
{
    private static string Extension(int k1PerMinute) => string.Create(CultureInfo.InvariantCulture, $$"""
        apiVersion: networking.higress.io/v1alpha1
        kind: Extension
        metadata: {name: limit, namespace: default}
        spec:
          plugin: key-rate-limit
          targetRefs: [{kind: Route, name: route-a}]
          config:
            limit_by_header: x-ca-key
            limit_keys:
            - key: k1
              query_per_minute: {{k1PerMinute}}
            - key: 102234
              query_per_minute: 2
        """);

    // A Route counted by consumer, the consumer named by key-auth: the limit runs after the plugins.
    private const string ConsumerRoute = """
        apiVersion: networking.higress.io/v1alpha1
        kind: Route
        metadata: {name: limited, namespace: default}
        spec:
          gateways: [default/gw]
          http:
          - match: [{uri: {prefix: /limited}}]
            rateLimit: {requestsPerUnit: 2, unit: minute, burst: 0, key: consumer}
            route: [{destination: {host: echo, port: 80}}]
        ---
        apiVersion: networking.higress.io/v1alpha1
        kind: Extension
        metadata: {name: auth, namespace: default}
        spec:
          plugin: key-auth
          targetRefs: [{kind: Route, name: limited}]
          config:
            consumers:
            - {name: alice, credential: alice-key}
            - {name: bob, credential: bob-key}
            keys: [x-api-key]
        """;

    private static async Task<List<int>> SendAsync(AuthWorld world, string path, int count, params (string Name, string Value)[] headers)
    {
        var codes = new List<int>();
        for (var i = 0; i < count; i++)
        {
            var (response, forwarded) = await world.SendAsync(path, headers: headers);
            Assert.Equal(response.Code == 200, forwarded is not null);
            if (response.Code == 429)
            {
                Assert.InRange(int.Parse(response.HeaderValue("Retry-After")!, CultureInfo.InvariantCulture), 1, 60);
            }

            codes.Add(response.Code);
        }

        return codes;
    }

    [Fact]
    public async Task A_listed_key_gets_its_limit_keys_are_independent_and_an_unlisted_key_is_not_limited()
    {
        await using var world = await AuthWorld.StartAsync(Extension(k1PerMinute: 3));
        Assert.Empty(await world.ErrorsAsync());

        var k1 = await SendAsync(world, "/a/x", 5, ("x-ca-key", "k1"));
        var numeric = await SendAsync(world, "/a/x", 4, ("x-ca-key", "102234"));
        var unlisted = await SendAsync(world, "/a/x", 6, ("x-ca-key", "k3"));
        var none = await SendAsync(world, "/a/x", 6);
        var otherRoute = await SendAsync(world, "/open/x", 6, ("x-ca-key", "k1"));

        Assert.Equal([200, 200, 200, 429, 429], k1);
        Assert.Equal([200, 200, 429, 429], numeric);
        Assert.All(unlisted.Concat(none).Concat(otherRoute), code => Assert.Equal(200, code));

        var refused = (await world.SendAsync("/a/x", headers: ("x-ca-key", "k1"))).Response;
        Assert.Equal("Too many requests", refused.Body);
        Assert.StartsWith("text/plain", refused.HeaderValue("Content-Type"), StringComparison.Ordinal);
        var (_, metrics) = await world.Gateway.Client.AdminAsync("/metrics");
        Assert.Contains("higress_ratelimit_rejections_total{", metrics, StringComparison.Ordinal);
        Assert.Contains("plugin=\"key-rate-limit\"", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reload_that_keeps_the_config_keeps_the_buckets_and_a_changed_config_starts_fresh()
    {
        await using var world = await AuthWorld.StartAsync(Extension(k1PerMinute: 2));
        Assert.Equal([200, 200, 429], await SendAsync(world, "/a/x", 3, ("x-ca-key", "k1")));

        await world.Gateway.ApplyAsync("unrelated.yaml", """
            apiVersion: v1
            kind: Namespace
            metadata: {name: unrelated}
            """);
        Assert.Equal([429], await SendAsync(world, "/a/x", 1, ("x-ca-key", "k1")));

        await world.Gateway.ApplyAsync("plugins.yaml", Extension(k1PerMinute: 3));
        Assert.Equal([200, 200, 200, 429], await SendAsync(world, "/a/x", 4, ("x-ca-key", "k1")));
    }

    [Fact]
    public async Task A_bad_config_is_an_error_naming_the_Extension_and_field_and_the_last_good_config_keeps_limiting()
    {
        await using var world = await AuthWorld.StartAsync(Extension(k1PerMinute: 1));
        Assert.Equal([200, 429], await SendAsync(world, "/a/x", 2, ("x-ca-key", "k1")));

        await world.Gateway.ApplyAsync("plugins.yaml", Extension(k1PerMinute: 1).Replace("limit_by_header: x-ca-key", "limit_by_header: x-ca-key\n    limit_by_param: apikey", StringComparison.Ordinal));

        Assert.Contains(await world.ErrorsAsync(), e => e.StartsWith("Extension default/limit: spec.config.limit_by_param: limit_by_header and limit_by_param are both set", StringComparison.Ordinal));

        // The last good config, and its buckets, keep serving: k1 stays spent, 102234 still has its own budget.
        Assert.Equal([429], await SendAsync(world, "/a/x", 1, ("x-ca-key", "k1")));
        Assert.Equal([200], await SendAsync(world, "/a/x", 1, ("x-ca-key", "102234")));
    }

    [Fact]
    public async Task Route_rateLimit_by_consumer_counts_each_consumer_that_key_auth_named()
    {
        await using var world = await AuthWorld.StartAsync(ConsumerRoute);
        Assert.Empty(await world.ErrorsAsync());

        var alice = await SendAsync(world, "/limited", 4, ("x-api-key", "alice-key"));
        var bob = await SendAsync(world, "/limited", 3, ("x-api-key", "bob-key"));
        var (anonymous, _) = await world.SendAsync("/limited");

        Assert.Equal([200, 200, 429, 429], alice);
        Assert.Equal([200, 200, 429], bob);
        Assert.Equal(401, anonymous.Code);
        Assert.Equal("alice", world.Backend.Received.First(r => r.RawTarget.StartsWith("/limited", StringComparison.Ordinal)).Headers["X-Mse-Consumer"]);
    }
}
