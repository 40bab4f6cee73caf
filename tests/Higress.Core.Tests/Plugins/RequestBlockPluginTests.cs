using System.Text;
using System.Text.Json;
using Higress.Core.Plugins;
using Higress.Core.Plugins.BuiltIn.RequestBlock;
using Microsoft.AspNetCore.Http;
using static Higress.Core.Tests.Plugins.PluginTestData;

namespace Higress.Core.Tests.Plugins;

public class RequestBlockPluginTests
{
    private static readonly RequestBlockPlugin Plugin = new();

    private static RequestBlockConfig Valid(string json) => ValidConfig(Plugin, json);

    private static async Task<PluginResult> SendAsync(RequestBlockConfig config, string path, string query = "", (string Name, string Value)[]? headers = null, string? body = null, string host = "example.com")
    {
        var http = new DefaultHttpContext();
        http.Request.Method = body is null ? "GET" : "POST";
        http.Request.Host = new HostString(host);
        http.Request.Path = path;
        http.Request.QueryString = new QueryString(query);
        foreach (var (name, value) in headers ?? [])
        {
            http.Request.Headers.Append(name, value);
        }

        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            http.Request.Body = new MemoryStream(bytes);
            http.Request.ContentLength = bytes.Length;
        }

        return await Plugin.OnRequestAsync(new PluginContext(http, Route()), config, Plugin.CreateState(config));
    }

    private static async Task AssertBlocked(RequestBlockConfig config, string path, string query = "", (string, string)[]? headers = null, string? body = null) =>
        Assert.Equal(config.BlockedCode, (await SendAsync(config, path, query, headers, body)).StatusCode);

    private static async Task AssertPasses(RequestBlockConfig config, string path, string query = "", (string, string)[]? headers = null, string? body = null) =>
        Assert.True((await SendAsync(config, path, query, headers, body)).IsContinue);

    [Fact]
    public async Task Higress_url_example_blocks_the_path_and_the_query_ignoring_case()
    {
        // Higress's README: "block_urls: [swagger.html, foo=bar], case_sensitive: false".
        var config = Valid("""{"block_urls": ["swagger.html", "foo=bar"], "case_sensitive": false}""");
        Assert.Equal(403, config.BlockedCode);
        await AssertBlocked(config, "/", "?foo=Bar");
        await AssertBlocked(config, "/Swagger.html");
        await AssertBlocked(config, "/docs/swagger.html", "?v=1");
        await AssertPasses(config, "/swagger", "?foo=baz");
    }

    [Fact]
    public async Task Case_sensitive_is_the_default()
    {
        var config = Valid("""{"block_urls": ["swagger.html"]}""");
        Assert.True(config.CaseSensitive);
        await AssertBlocked(config, "/swagger.html");
        await AssertPasses(config, "/Swagger.html");
    }

    [Fact]
    public async Task Exact_urls_compare_the_path_with_its_query_and_patterns_match_anywhere()
    {
        // Higress's conformance test config.
        var config = Valid("""{"block_urls": ["swagger.html"], "block_regexp_urls": ["/env.*"], "block_exact_urls": ["/web/info"], "block_bodies": ["hello world"]}""");
        await AssertBlocked(config, "/web/info");
        await AssertPasses(config, "/web/info", "?a=1");
        await AssertPasses(config, "/web/info/more");
        await AssertBlocked(config, "/api/env/x");
        await AssertBlocked(config, "/environment");
        await AssertBlocked(config, "/x", "?next=/env");
        await AssertPasses(config, "/Env");

        var anchored = Valid("""{"block_regexp_urls": ["^/admin/\\d+$"], "case_sensitive": false}""");
        await AssertBlocked(anchored, "/ADMIN/42");
        await AssertPasses(anchored, "/x/admin/42");
        await AssertPasses(anchored, "/admin/42", "?x=1");
    }

    [Fact]
    public async Task Higress_header_example_blocks_names_and_values_including_the_pseudo_headers()
    {
        var config = Valid("""{"block_headers": ["example-key", "example-value"]}""");
        await AssertBlocked(config, "/", headers: [("Example-Key", "123")]);
        await AssertBlocked(config, "/", headers: [("my-header", "example-value")]);
        await AssertBlocked(config, "/", headers: [("my-header", "a"), ("my-header", "example-value")]);
        await AssertPasses(config, "/", headers: [("my-header", "Example-Value")]);

        // Envoy's header map holds :path and :authority too.
        await AssertBlocked(config, "/example-value");
        Assert.Equal(403, (await SendAsync(config, "/", host: "example-key.test")).StatusCode);

        // Names are lower case in Envoy: an upper-case, case-sensitive string matches values only.
        var upper = Valid("""{"block_headers": ["X-Evil"]}""");
        await AssertPasses(upper, "/", headers: [("X-Evil", "1")]);
        await AssertBlocked(upper, "/", headers: [("x-note", "X-Evil")]);

        // A string with a line break spans a name and its value, as in Higress's "name\nvalue" lines.
        var spanning = Valid("""{"block_headers": ["x-debug\n1"]}""");
        await AssertBlocked(spanning, "/", headers: [("X-Debug", "1")]);
        await AssertPasses(spanning, "/", headers: [("X-Debug", "0")]);
    }

    [Fact]
    public async Task Higress_body_example_blocks_bodies_ignoring_case_and_a_body_too_large_to_check_is_refused()
    {
        var config = Valid("""{"block_bodies": ["hello world"], "case_sensitive": false, "blocked_code": 418, "blocked_message": "no"}""");
        var blocked = await SendAsync(config, "/", body: "say Hello World");
        Assert.Equal(418, blocked.StatusCode);
        Assert.Equal("no", blocked.Body);
        await AssertBlocked(config, "/", body: "hello world");
        await AssertPasses(config, "/", body: "hello, world");
        await AssertPasses(config, "/");

        var sensitive = Valid("""{"block_bodies": ["héllo"]}""");
        await AssertBlocked(sensitive, "/", body: "{\"a\":\"héllo\"}");
        await AssertPasses(sensitive, "/", body: "HÉLLO");

        var http = new DefaultHttpContext();
        http.Request.Method = "POST";
        http.Request.Body = new MemoryStream([]);
        http.Request.ContentLength = RequestBlockPlugin.MaxBodyBytes + 1;
        var tooLarge = await Plugin.OnRequestAsync(new PluginContext(http, Route()), sensitive, Plugin.CreateState(sensitive));
        Assert.Equal(413, tooLarge.StatusCode);
    }

    [Fact]
    public async Task Without_a_message_the_refusal_has_no_body()
    {
        var result = await SendAsync(Valid("""{"block_urls": ["x"]}"""), "/x");
        Assert.Equal(403, result.StatusCode);
        Assert.Null(result.Body);
    }

    [Theory]
    [InlineData("""{"block_regexp_urls": ["/ok", "("]}""", "block_regexp_urls[1]", "'(' is unclosed")]
    [InlineData("""{"block_regexp_urls": ["(a)\\1"]}""", "block_regexp_urls[0]", "linear-time")]
    [InlineData("""{}""", "block_urls", "no block rules")]
    [InlineData("""{"block_urls": []}""", "block_urls", "no block rules")]
    [InlineData("""{"block_urls": ["a", ""]}""", "block_urls[1]", "is empty")]
    [InlineData("""{"block_urls": ["a"], "blocked_code": 700}""", "blocked_code", "")]
    [InlineData("""{"block_urls": ["a"], "case_sensitive": "no"}""", "case_sensitive", "")]
    [InlineData("""{"block_urls": ["a"], "block_url": ["b"]}""", "block_url", "")]
    public void Bad_values_are_errors_naming_the_field_and_the_fix(string json, string field, string message) =>
        AssertSingleError(Plugin, json, field, message);
}
