namespace Higress.EndToEnd.Tests.Plugins;

/// <summary>
/// request-block through a real listener to real backends: Higress's documentation and conformance configs verbatim,
/// blocked requests never reaching the backend, and invalid configs failing closed or keeping the last good config.
/// </summary>
public sealed class RequestBlockTests(RequestBlockTests.Fixture fixture) : IClassFixture<RequestBlockTests.Fixture>
{
    // A Higress WasmPlugin with the config of Higress's request-block conformance test, unchanged, for one domain.
    private const string Plugins = """
        apiVersion: extensions.higress.io/v1alpha1
        kind: WasmPlugin
        metadata: {name: request-block}
        spec:
          url: oci://registry.example/plugins/request-block:1.0.0
          defaultConfigDisable: true
          matchRules:
          - domain: [conformance.test]
            config:
              block_urls:
                - "swagger.html"
              block_regexp_urls:
                - "/env.*"
              block_exact_urls:
                - "/web/info"
              block_bodies:
                - "hello world"
        ---
        apiVersion: networking.higress.io/v1alpha1
        kind: Extension
        metadata: {name: doc-headers}
        spec:
          plugin: request-block
          targetRefs: [{kind: Route, name: headers}]
          config:
            block_headers:
            - example-key
            - example-value
        ---
        apiVersion: networking.higress.io/v1alpha1
        kind: Extension
        metadata: {name: doc-urls}
        spec:
          plugin: request-block
          targetRefs: [{kind: Route, name: urls}]
          config:
            block_urls:
            - swagger.html
            - foo=bar
            case_sensitive: false
            blocked_code: 404
            blocked_message: "not here"
        ---
        apiVersion: networking.higress.io/v1alpha1
        kind: Extension
        metadata: {name: broken}
        spec:
          plugin: request-block
          targetRefs: [{kind: Route, name: broken}]
          config: {block_regexp_urls: ["/admin/(x"]}
        """;

    private AccessPluginWorld World => fixture.World;

    [Fact]
    public async Task The_conformance_config_blocks_urls_patterns_exact_urls_and_bodies_and_forwards_the_rest()
    {
        const string host = "conformance.test";
        Assert.Equal(403, (await World.SendAsync(host, "/docs/swagger.html")).Status);
        Assert.Equal(403, (await World.SendAsync(host, "/api/env/secrets")).Status);
        Assert.Equal(403, (await World.SendAsync(host, "/web/info")).Status);
        Assert.Equal(403, (await World.SendAsync(host, "/upload", body: "say hello world")).Status);

        Assert.Equal(200, (await World.SendAsync(host, "/web/info?page=2")).Status);
        Assert.Equal(200, (await World.SendAsync(host, "/upload", body: "say hello")).Status);

        var received = World.Received(host).OrderBy(r => r.RawTarget, StringComparer.Ordinal).ToList();
        Assert.Equal(["/upload", "/web/info?page=2"], received.Select(r => r.RawTarget));
        Assert.Equal("say hello", System.Text.Encoding.UTF8.GetString(received[0].Body));
    }

    [Fact]
    public async Task The_header_example_blocks_a_header_name_or_value()
    {
        const string host = "headers.test";
        Assert.Equal(403, (await World.SendAsync(host, "/a", [new("example-key", "123")])).Status);
        Assert.Equal(403, (await World.SendAsync(host, "/b", [new("my-header", "example-value")])).Status);
        Assert.Equal(200, (await World.SendAsync(host, "/c", [new("my-header", "other")])).Status);
        Assert.Equal(["/c"], World.Received(host).Select(r => r.RawTarget));
    }

    [Fact]
    public async Task The_url_example_ignores_case_in_path_and_query_and_answers_with_the_configured_code_and_message()
    {
        const string host = "urls.test";
        var (status, body, type) = await World.SendAsync(host, "/Swagger.html");
        Assert.Equal(404, status);
        Assert.Equal("not here", body);
        Assert.Equal("text/plain", type);
        Assert.Equal(404, (await World.SendAsync(host, "/?foo=Bar")).Status);
        Assert.Equal(200, (await World.SendAsync(host, "/?foo=baz")).Status);
        Assert.Equal(["/?foo=baz"], World.Received(host).Select(r => r.RawTarget));
    }

    [Fact]
    public async Task A_regex_that_does_not_compile_is_an_error_naming_the_Extension_and_its_route_fails_closed()
    {
        var errors = await World.ErrorsAsync();
        Assert.Contains(errors, e => e.StartsWith("Extension default/broken: spec.config.block_regexp_urls[0]: '(' is unclosed", StringComparison.Ordinal));
        Assert.Equal(500, (await World.SendAsync("broken.test", "/anything")).Status);
        Assert.Empty(World.Received("broken.test"));
    }

    [Fact]
    public async Task An_edit_that_makes_a_valid_config_invalid_keeps_the_last_good_config()
    {
        const string host = "edited.test";
        await World.Gateway.ApplyAsync("20-edited.yaml", Edited("""block_urls: ["secret"]"""));
        Assert.Equal(403, (await World.SendAsync(host, "/secret")).Status);
        Assert.Equal(200, (await World.SendAsync(host, "/public")).Status);

        await World.Gateway.ApplyAsync("20-edited.yaml", Edited("""block_urls: ["secret"], block_url: ["public"]"""));
        var errors = await World.ErrorsAsync();
        Assert.Contains(errors, e => e.StartsWith("Extension default/edited: spec.config.block_url:", StringComparison.Ordinal));

        Assert.Equal(403, (await World.SendAsync(host, "/secret")).Status);
        Assert.Equal(200, (await World.SendAsync(host, "/public")).Status);
        Assert.Equal(["/public", "/public"], World.Received(host).Select(r => r.RawTarget));
    }

    private static string Edited(string config) => $$"""
        apiVersion: networking.higress.io/v1alpha1
        kind: Extension
        metadata: {name: edited}
        spec:
          plugin: request-block
          targetRefs: [{kind: Route, name: edited}]
          config: { {{config}} }
        """;

    /// <summary>One gateway for the class.</summary>
    public sealed class Fixture : AccessPluginFixture
    {
        /// <inheritdoc/>
        protected override IReadOnlyList<string> Hosts => ["conformance.test", "headers.test", "urls.test", "broken.test", "edited.test"];

        /// <inheritdoc/>
        protected override string Plugins => RequestBlockTests.Plugins;
    }
}
