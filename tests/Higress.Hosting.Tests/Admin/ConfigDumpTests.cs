using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace Higress.Hosting.Tests.Admin;

/// <summary><c>/config_dump</c>: its shape, sensitive header values redacted, and the kind/namespace/name/errors filters.</summary>
public sealed class ConfigDumpTests
{
    private static readonly int Port = AdminHost.FreePort();

    private static readonly string Yaml = $$$"""
        apiVersion: networking.higress.io/v1alpha1
        kind: Gateway
        metadata: {name: gw, namespace: shop}
        spec:
          listeners:
          - protocol: HTTP
            port: {{{Port.ToString(CultureInfo.InvariantCulture)}}}
        ---
        apiVersion: networking.higress.io/v1alpha1
        kind: Route
        metadata: {name: secrets, namespace: shop}
        spec:
          http:
          - match:
            - headers:
                authorization: {exact: "Bearer match-secret-1"}
            headers:
              request:
                set: {authorization: "Basic dXNlcjpzZWNyZXQtMQ==", x-api-key: "api-key-value-2", x-trace: visible-value}
                add: {cookie: "session=cookie-value-3"}
              response:
                set: {set-cookie: "sid=cookie-value-4", x-session-token: "token-value-5"}
            directResponse: {status: 200, body: {string: ok}}
        ---
        apiVersion: networking.higress.io/v1alpha1
        kind: Route
        metadata: {name: broken, namespace: shop}
        spec:
          http:
          - route: [{destination: {host: missing-service, port: 80}}]
        ---
        apiVersion: networking.higress.io/v1alpha1
        kind: Route
        metadata: {name: other, namespace: blog}
        spec:
          http:
          - directResponse: {status: 200, body: {string: ok}}
        """;

    [Fact]
    public async Task Sensitive_header_values_set_or_matched_by_routes_never_appear()
    {
        await using var gateway = await AdminHost.StartAsync(Yaml);

        var (status, body) = await gateway.GetAsync("/config_dump");

        Assert.Equal(HttpStatusCode.OK, status);
        foreach (var secret in new[] { "match-secret-1", "dXNlcjpzZWNyZXQtMQ==", "api-key-value-2", "cookie-value-3", "cookie-value-4", "token-value-5" })
        {
            Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
        }

        Assert.Contains("visible-value", body, StringComparison.Ordinal);
        Assert.Contains("<redacted>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_jwt_auth_key_set_which_may_hold_oct_or_private_keys_never_appears()
    {
        const string HmacKey = "aG1hYy1rZXktdGhhdC1tdXN0LW5ldmVyLWJlLXByaW50ZWQtYW55d2hlcmU";
        await using var gateway = await AdminHost.StartAsync(Yaml + $$"""

            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Extension
            metadata: {name: jwt, namespace: shop}
            spec:
              plugin: jwt-auth
              config:
                consumers:
                - name: app
                  issuer: example.com
                  jwks: '{"keys":[{"kty":"oct","kid":"h","k":"{{HmacKey}}"}]}'
            """);

        var (status, body) = await gateway.GetAsync("/config_dump");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("jwt-auth", body, StringComparison.Ordinal);
        Assert.DoesNotContain(HmacKey, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_unfiltered_dump_has_every_section()
    {
        await using var gateway = await AdminHost.StartAsync(Yaml);

        var dump = await DumpAsync(gateway, string.Empty);

        Assert.Equal(
            ["generation", "planApplied", "lastApplyError", "errors", "warnings", "diagnostics", "statuses", "listeners", "plan", "resources"],
            dump.Select(p => p.Key).ToArray());
        Assert.Equal(["generation", "listeners", "routes", "clusters"], dump["plan"]!.AsObject().Select(p => p.Key).ToArray());
        Assert.Equal(3, dump["plan"]!["routes"]!.AsArray().Count);
        Assert.Contains(dump["listeners"]!.AsArray(), l => (bool)l!["admin"]! && (string?)l["state"] == "open");
        Assert.Contains(dump["listeners"]!.AsArray(), l => (int)l!["port"]! == Port && (string?)l["state"] == "open");
    }

    [Fact]
    public async Task Kind_namespace_and_name_keep_only_that_objects_entries()
    {
        await using var gateway = await AdminHost.StartAsync(Yaml);

        var dump = await DumpAsync(gateway, "?kind=Route&namespace=shop&name=secrets");

        Assert.Equal(["Route shop/secrets"], Objects(dump, "statuses"));
        Assert.Equal(["secrets"], dump["resources"]!.AsArray().Select(r => (string?)r!["name"] ?? string.Empty).ToArray());
        Assert.All(dump["plan"]!["routes"]!.AsArray(), r => Assert.Equal("secrets", (string?)r!["source"]!["name"]));
        Assert.Empty(dump["plan"]!["listeners"]!.AsArray());
        Assert.Empty(dump["errors"]!.AsArray());

        var blog = await DumpAsync(gateway, "?namespace=BLOG");
        Assert.Equal(["Route blog/other"], Objects(blog, "statuses"));

        var gateways = await DumpAsync(gateway, "?kind=Gateway");
        Assert.Single(gateways["plan"]!["listeners"]!.AsArray());
        Assert.Contains(gateways["listeners"]!.AsArray(), l => (int)l!["port"]! == Port);
        Assert.DoesNotContain(gateways["listeners"]!.AsArray(), l => (bool)l!["admin"]!);
    }

    [Fact]
    public async Task Errors_true_keeps_only_objects_and_diagnostics_with_errors()
    {
        await using var gateway = await AdminHost.StartAsync(Yaml);

        var dump = await DumpAsync(gateway, "?errors=true");

        Assert.Equal(["Route shop/broken"], Objects(dump, "statuses"));
        Assert.NotEmpty(dump["errors"]!.AsArray());
        Assert.All(dump["errors"]!.AsArray(), e => Assert.StartsWith("Route shop/broken", (string?)e, StringComparison.Ordinal));
        Assert.Empty(dump["warnings"]!.AsArray());
        Assert.All(dump["diagnostics"]!.AsArray(), d => Assert.Equal("Error", (string?)d!["severity"]));
        Assert.Empty(dump["listeners"]!.AsArray());
        Assert.Equal(["broken"], dump["resources"]!.AsArray().Select(r => (string?)r!["name"] ?? string.Empty).ToArray());
    }

    private static async Task<JsonObject> DumpAsync(AdminHost gateway, string query)
    {
        var (status, body) = await gateway.GetAsync("/config_dump" + query);
        Assert.Equal(HttpStatusCode.OK, status);
        return JsonNode.Parse(body)!.AsObject();
    }

    private static string[] Objects(JsonObject dump, string section) => dump[section]!.AsArray().Select(s => (string?)s!["object"] ?? string.Empty).ToArray();
}
