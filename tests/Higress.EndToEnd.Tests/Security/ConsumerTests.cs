using Higress.EndToEnd.Tests.Infrastructure;

namespace Higress.EndToEnd.Tests.Security;

/// <summary>
/// The consumer model end to end (issue 9, point 1): X-Mse-Consumer carries the authenticated consumer and never what
/// the client sent; <c>allow</c> refuses with 403 before anything is forwarded; <c>global_auth</c> and
/// <c>matchRules</c> follow Higress; a bad config names the object and field, fails closed when never valid and keeps
/// the last good config otherwise.
/// </summary>
public sealed class ConsumerTests
{
    private const string Consumer1Key = "2bda943c-ba2b-11ec-ba07-00163e1250b5";
    private const string Consumer2Key = "c8c8e9ca-558e-4a2d-bb62-e700dcc40e35";

    // Higress's key-auth README, "Global Configuration for Authentication and Granular Route Authorization": the
    // instance config and the two rule configs, verbatim.
    internal const string DocInstanceConfig = """
        global_auth: false
        consumers:
        - credential: 2bda943c-ba2b-11ec-ba07-00163e1250b5
          name: consumer1
        - credential: c8c8e9ca-558e-4a2d-bb62-e700dcc40e35
          name: consumer2
        keys:
        - apikey
        - x-api-key
        """;

    private const string DocRouteConfig = """
        allow:
        - consumer1
        """;

    private const string DocDomainConfig = """
        allow:
        - consumer2
        """;

    internal static string Indent(string yaml, int spaces) =>
        string.Join("\n", yaml.Split('\n').Select(line => new string(' ', spaces) + line));

    private static string KeyAuthExtension(string instanceConfig, bool matchRules = true) => $"""
        apiVersion: networking.higress.io/v1alpha1
        kind: Extension
        metadata: {"{"}name: key-auth, namespace: default{"}"}
        spec:
          plugin: key-auth
          config:
        {Indent(instanceConfig, 4)}
        """ + (matchRules ? $"""

          matchRules:
          - route: [route-a]
            config:
        {Indent(DocRouteConfig, 6)}
          - domain: ["*.example.com", test.com]
            config:
        {Indent(DocDomainConfig, 6)}
        """ : string.Empty);

    [Fact]
    public async Task The_consumer_name_is_forwarded_and_a_client_sent_X_Mse_Consumer_never_is()
    {
        await using var world = await AuthWorld.StartAsync(KeyAuthExtension(DocInstanceConfig));

        var (ok, forwarded) = await world.SendAsync("/a/test", headers: [("x-api-key", Consumer1Key), ("X-Mse-Consumer", "admin")]);
        Assert.Equal(200, ok.Code);
        Assert.Equal("consumer1", forwarded!.Headers["X-Mse-Consumer"]);
        Assert.Equal(Consumer1Key, forwarded.Headers["x-api-key"]);

        // Routes that do not authenticate: the default config (global_auth false) and a route without plugins.
        foreach (var path in new[] { "/open", "/plain" })
        {
            var (passed, plain) = await world.SendAsync(path, headers: [("X-Mse-Consumer", "admin")]);
            Assert.Equal(200, passed.Code);
            Assert.False(plain!.Headers.ContainsKey("X-Mse-Consumer"), path);
        }
    }

    [Fact]
    public async Task Allow_refuses_other_consumers_with_403_and_forwards_nothing_and_a_rule_with_only_allow_keeps_the_consumers()
    {
        await using var world = await AuthWorld.StartAsync(KeyAuthExtension(DocInstanceConfig));

        var (denied, notForwarded) = await world.SendAsync("/a/test?apikey=" + Consumer2Key);
        Assert.Equal(403, denied.Code);
        Assert.Equal("Request denied by Key Auth check. Unauthorized consumer", denied.Body);
        Assert.Null(notForwarded);

        var (byDomain, forwarded) = await world.SendAsync("/b/test?apikey=" + Consumer2Key, host: "test.com");
        Assert.Equal(200, byDomain.Code);
        Assert.Equal("consumer2", forwarded!.Headers["X-Mse-Consumer"]);

        var (wrongConsumer, _) = await world.SendAsync("/b/test?apikey=" + Consumer1Key, host: "test.com");
        Assert.Equal(403, wrongConsumer.Code);

        var (noKey, none) = await world.SendAsync("/a/test");
        Assert.Equal(401, noKey.Code);
        Assert.Equal("Key realm=MSE Gateway", noKey.HeaderValue("WWW-Authenticate"));
        Assert.Null(none);
    }

    [Theory]
    [InlineData("global_auth: true\n", true, true)]
    [InlineData("global_auth: false\n", true, false)]
    [InlineData("", true, false)]
    [InlineData("", false, true)]
    public async Task Global_auth_decides_whether_routes_without_a_match_rule_authenticate(string globalAuth, bool matchRules, bool openNeedsKey)
    {
        var config = globalAuth + DocInstanceConfig["global_auth: false\n".Length..];
        await using var world = await AuthWorld.StartAsync(KeyAuthExtension(config, matchRules));

        var (anonymous, forwarded) = await world.SendAsync("/open");
        Assert.Equal(openNeedsKey ? 401 : 200, anonymous.Code);
        Assert.Equal(openNeedsKey, forwarded is null);

        // Any consumer passes where no rule restricts them.
        var (withKey, consumer) = await world.SendAsync("/open", headers: [("x-api-key", Consumer2Key)]);
        Assert.Equal(200, withKey.Code);
        Assert.Equal(openNeedsKey ? "consumer2" : null, consumer!.Headers.GetValueOrDefault("X-Mse-Consumer"));

        // A route a rule names always authenticates, whatever global_auth says.
        var (ruled, _) = await world.SendAsync("/a/x", headers: [("x-api-key", Consumer2Key)]);
        Assert.Equal(matchRules ? 403 : 200, ruled.Code);
    }

    [Fact]
    public async Task The_WasmPlugin_form_with_defaultConfig_and_ingress_match_rules_works()
    {
        var wasmPlugin = $"""
            apiVersion: extensions.higress.io/v1alpha1
            kind: WasmPlugin
            metadata:
              name: wasm-keyauth
              namespace: default
            spec:
              url: oci://example.com/plugins/key-auth:1.0.0
              defaultConfig:
            {Indent(DocInstanceConfig, 4)}
              matchRules:
              - ingress:
                - default/route-a
                config:
            {Indent(DocRouteConfig, 6)}
            """;
        await using var world = await AuthWorld.StartAsync(wasmPlugin);

        Assert.Equal(200, (await world.SendAsync("/a/x", headers: [("x-api-key", Consumer1Key)])).Response.Code);
        Assert.Equal(403, (await world.SendAsync("/a/x", headers: [("x-api-key", Consumer2Key)])).Response.Code);
        Assert.Equal(401, (await world.SendAsync("/a/x")).Response.Code);
        Assert.Equal(200, (await world.SendAsync("/open")).Response.Code);
    }

    [Fact]
    public async Task A_never_valid_config_fails_its_routes_closed_and_a_later_invalid_edit_keeps_the_last_good_one()
    {
        var typo = KeyAuthExtension(DocInstanceConfig.Replace("global_auth: false", "global_auth: true\nalow: [consumer1]", StringComparison.Ordinal), matchRules: false);
        await using var world = await AuthWorld.StartAsync(typo);

        var error = Assert.Single(await world.ErrorsAsync(), e => e.Contains("alow", StringComparison.Ordinal));
        Assert.StartsWith("Extension default/key-auth: spec.config.alow: ", error, StringComparison.Ordinal);
        var (failed, forwarded) = await world.SendAsync("/open", headers: [("x-api-key", Consumer1Key)]);
        Assert.Equal(500, failed.Code);
        Assert.Null(forwarded);
        Assert.Equal(200, (await world.SendAsync("/plain")).Response.Code);

        await world.Gateway.ApplyAsync("plugins.yaml", KeyAuthExtension(DocInstanceConfig.Replace("global_auth: false", "global_auth: true", StringComparison.Ordinal), matchRules: false));
        Assert.Equal(200, (await world.SendAsync("/open", headers: [("x-api-key", Consumer1Key)])).Response.Code);
        Assert.Equal(401, (await world.SendAsync("/open")).Response.Code);

        // Now a typo in a valid instance: the last good config keeps protecting the routes.
        await world.Gateway.ApplyAsync("plugins.yaml", typo);
        Assert.Contains(await world.ErrorsAsync(), e => e.StartsWith("Extension default/key-auth: spec.config.alow: ", StringComparison.Ordinal));
        Assert.Equal(401, (await world.SendAsync("/open")).Response.Code);
        Assert.Equal(200, (await world.SendAsync("/open", headers: [("x-api-key", Consumer1Key)])).Response.Code);
    }

    [Fact]
    public async Task Config_dump_prints_no_credential_or_secret()
    {
        var plugins = $"""
            {KeyAuthExtension(DocInstanceConfig)}
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Extension
            metadata: {"{"}name: basic, namespace: default{"}"}
            spec:
              plugin: basic-auth
              config:
                global_auth: false
                consumers:
                - {"{"}name: u1, credential: "admin:pa55-inline"{"}"}
                - {"{"}name: u2, credential_ref: {"{"}name: creds, key: basic{"}"}{"}"}
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Extension
            metadata: {"{"}name: hmac, namespace: default{"}"}
            spec:
              plugin: hmac-auth
              config:
                global_auth: false
                consumers:
                - {"{"}name: h1, key: app-key-1, secret: hmac-inline-secret{"}"}
            """;
        const string secrets = """
            apiVersion: v1
            kind: Secret
            metadata: {name: creds, namespace: default}
            stringData:
              basic: "vault:from-the-secret"
            """;
        await using var world = await AuthWorld.StartAsync(plugins, secrets);
        Assert.Empty(await world.ErrorsAsync());

        var (_, dump) = await world.Gateway.Client.AdminAsync("/config_dump");

        Assert.Contains("key-auth", dump, StringComparison.Ordinal);
        foreach (var secret in new[] { Consumer1Key, Consumer2Key, "pa55-inline", "from-the-secret", "hmac-inline-secret" })
        {
            Assert.DoesNotContain(secret, dump, StringComparison.Ordinal);
        }
    }
}
