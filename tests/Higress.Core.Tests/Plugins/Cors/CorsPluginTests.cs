using System.Text.Json;
using Higress.Core.Plugins;
using Higress.Core.Plugins.BuiltIn.Cors;
using Microsoft.AspNetCore.Http;

namespace Higress.Core.Tests.Plugins.Cors;

/// <summary>The cors engine's decisions and headers, as Higress's cors plugin makes them.</summary>
public class CorsPluginTests
{
    // Higress's documented test config (README_EN.md, "Test Configuration").
    private const string HigressTestConfig = """
        {"allow_origins": ["http://httpbin.example.net"],
         "allow_origin_patterns": ["http://*.example.com:[*]", "http://*.example.org:[9090,8080]"],
         "allow_methods": ["GET", "POST", "PATCH"],
         "allow_headers": ["Content-Type", "Token", "Authorization"],
         "expose_headers": ["X-Custom-Header", "X-Env-UTM"],
         "allow_credentials": true,
         "max_age": 3600}
        """;

    internal static CorsConfig Parse(string json, out PluginConfigContext context)
    {
        context = new PluginConfigContext(CorsPlugin.PluginName, "test");
        return new CorsPlugin().ParseConfig(JsonDocument.Parse(json).RootElement, context);
    }

    private static CorsConfig Parse(string json)
    {
        var config = Parse(json, out var context);
        Assert.Empty(context.Errors);
        return config;
    }

    private static HttpRequest Request(string method, string? origin, string? requestMethod = null, string? requestHeaders = null, string host = "httpbin.example.com")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString(host);
        if (origin is not null)
        {
            context.Request.Headers.Origin = origin;
        }

        if (requestMethod is not null)
        {
            context.Request.Headers.AccessControlRequestMethod = requestMethod;
        }

        if (requestHeaders is not null)
        {
            context.Request.Headers.AccessControlRequestHeaders = requestHeaders;
        }

        return context.Request;
    }

    private static IHeaderDictionary Headers(CorsConfig config, HttpRequest request, IHeaderDictionary? upstream = null)
    {
        var headers = upstream ?? new HeaderDictionary();
        config.Engine.WriteHeaders(request, headers, config.Engine.Evaluate(request));
        return headers;
    }

    [Fact]
    public void A_preflight_from_an_allowed_pattern_gets_Higresss_documented_headers()
    {
        var config = Parse(HigressTestConfig);
        var request = Request("OPTIONS", "http://httpbin2.example.org:9090", "POST", "Content-Type, Token");

        Assert.Equal(CorsVerdict.Preflight, config.Engine.Evaluate(request));
        var headers = Headers(config, request);
        Assert.Equal("http://httpbin2.example.org:9090", headers.AccessControlAllowOrigin);
        Assert.Equal("GET,POST,PATCH", headers.AccessControlAllowMethods);
        Assert.Equal("Content-Type,Token,Authorization", headers.AccessControlAllowHeaders);
        Assert.Equal("X-Custom-Header,X-Env-UTM", headers.AccessControlExposeHeaders);
        Assert.Equal("true", headers.AccessControlAllowCredentials);
        Assert.Equal("3600", headers.AccessControlMaxAge);
        Assert.Equal("Origin", headers.Vary);
    }

    [Fact]
    public void An_actual_request_gets_origin_expose_and_credentials_but_not_the_preflight_headers()
    {
        var config = Parse(HigressTestConfig);
        var request = Request("GET", "http://httpbin2.example.org:9090");

        Assert.Equal(CorsVerdict.Actual, config.Engine.Evaluate(request));
        var headers = Headers(config, request);
        Assert.Equal("http://httpbin2.example.org:9090", headers.AccessControlAllowOrigin);
        Assert.Equal("X-Custom-Header,X-Env-UTM", headers.AccessControlExposeHeaders);
        Assert.Equal("true", headers.AccessControlAllowCredentials);
        Assert.False(headers.ContainsKey("Access-Control-Allow-Methods"));
        Assert.False(headers.ContainsKey("Access-Control-Max-Age"));
    }

    [Theory]
    [InlineData("OPTIONS", "http://httpbin2.example.org", "GET", null)] // port not listed
    [InlineData("OPTIONS", "http://httpbin2.example.org:9090", "DELETE", null)] // method not allowed
    [InlineData("OPTIONS", "http://httpbin2.example.org:9090", "GET", "TokenView")] // header not allowed
    [InlineData("GET", "http://evil.test", null, null)] // actual request from another origin
    [InlineData("DELETE", "http://httpbin.example.net", null, null)] // actual request with a method not allowed
    [InlineData("GET", "http://a.example.com.evil.test", null, null)] // patterns match the whole origin
    public void Requests_that_Higress_refuses_are_rejected_and_get_no_CORS_headers(string method, string origin, string? requestMethod, string? requestHeaders)
    {
        var config = Parse(HigressTestConfig);
        var request = Request(method, origin, requestMethod, requestHeaders);

        Assert.Equal(CorsVerdict.Rejected, config.Engine.Evaluate(request));
        var headers = Headers(config, request);
        Assert.False(headers.ContainsKey("Access-Control-Allow-Origin"));
        Assert.False(headers.ContainsKey("Access-Control-Allow-Credentials"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("http://httpbin.example.com")]
    [InlineData("http://HTTPBIN.example.com:80/")]
    public void Requests_without_an_origin_or_from_the_same_origin_are_not_CORS(string? origin)
    {
        var config = Parse(HigressTestConfig);
        var request = Request("GET", origin);

        Assert.Equal(CorsVerdict.NotCors, config.Engine.Evaluate(request));
        var headers = Headers(config, request);
        Assert.False(headers.ContainsKey("Access-Control-Allow-Origin"));
        Assert.Equal("Origin", headers.Vary);
    }

    [Fact]
    public void The_upstreams_own_CORS_headers_are_replaced()
    {
        var config = Parse(HigressTestConfig);
        var upstream = new HeaderDictionary
        {
            ["Access-Control-Allow-Origin"] = "*",
            ["Access-Control-Allow-Methods"] = "PUT",
            ["Vary"] = "Accept-Encoding",
        };

        var headers = Headers(config, Request("GET", "http://x.example.com:1234"), upstream);

        Assert.Equal("http://x.example.com:1234", headers.AccessControlAllowOrigin);
        Assert.False(headers.ContainsKey("Access-Control-Allow-Methods"));
        Assert.Equal("Accept-Encoding,Origin", headers.Vary.ToString());
    }

    [Fact]
    public void Defaults_are_Higresss_any_origin_common_methods_and_headers_and_a_day()
    {
        var config = Parse("{}");
        var request = Request("OPTIONS", "https://anywhere.test", "PATCH");

        Assert.Equal(CorsVerdict.Preflight, config.Engine.Evaluate(request));
        var headers = Headers(config, request);
        Assert.Equal("https://anywhere.test", headers.AccessControlAllowOrigin);
        Assert.Equal("GET,PUT,POST,DELETE,PATCH,OPTIONS", headers.AccessControlAllowMethods);
        Assert.Equal("DNT,X-CustomHeader,Keep-Alive,User-Agent,X-Requested-With,If-Modified-Since,Cache-Control,Content-Type,Authorization", headers.AccessControlAllowHeaders);
        Assert.Equal("86400", headers.AccessControlMaxAge);
        Assert.False(headers.ContainsKey("Access-Control-Allow-Credentials"));
        Assert.Equal(CorsVerdict.Rejected, config.Engine.Evaluate(Request("OPTIONS", "https://anywhere.test", "TRACE")));
    }

    [Fact]
    public void Stars_allow_everything_and_echo_what_was_asked()
    {
        var config = Parse("""{"allow_origins": ["*"], "allow_methods": ["*"], "allow_headers": ["*"], "expose_headers": ["*"], "max_age": 7200}""");
        var request = Request("OPTIONS", "https://anywhere.test", "TRACE", "X-Anything, X-Else");

        var headers = Headers(config, request);
        Assert.Equal("https://anywhere.test", headers.AccessControlAllowOrigin);
        Assert.Equal(CorsEngine.AllMethods, headers.AccessControlAllowMethods);
        Assert.Equal("X-Anything, X-Else", headers.AccessControlAllowHeaders);
        Assert.Equal("*", headers.AccessControlExposeHeaders);
        Assert.Equal("7200", headers.AccessControlMaxAge);
    }

    [Fact]
    public void Credentials_with_a_star_origin_echo_the_origin_and_never_send_a_star()
    {
        var withPattern = Parse("""{"allow_origin_patterns": ["*"], "allow_credentials": true}""");
        var headers = Headers(withPattern, Request("GET", "https://app.test"));
        Assert.Equal("https://app.test", headers.AccessControlAllowOrigin);
        Assert.Equal("true", headers.AccessControlAllowCredentials);

        // Higress: allow_origins '*' wins over allow_credentials, which is dropped with a warning.
        var withOrigins = Parse("""{"allow_origins": ["*"], "allow_credentials": true}""", out var context);
        Assert.Empty(context.Errors);
        Assert.Equal("allow_credentials", Assert.Single(context.Warnings).FieldPath);
        headers = Headers(withOrigins, Request("GET", "https://app.test"));
        Assert.Equal("https://app.test", headers.AccessControlAllowOrigin);
        Assert.False(headers.ContainsKey("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public void Credentials_without_origins_allow_no_origin()
    {
        var config = Parse("""{"allow_credentials": true}""");
        Assert.Equal(CorsVerdict.Rejected, config.Engine.Evaluate(Request("GET", "https://app.test")));
    }

    [Fact]
    public void Origin_regexes_match_the_whole_origin()
    {
        var config = Parse("""{"allow_origin_regex": ["https://[a-z]+\\.example\\.com"]}""");
        Assert.Equal(CorsVerdict.Actual, config.Engine.Evaluate(Request("GET", "https://App.example.com")));
        Assert.Equal(CorsVerdict.Rejected, config.Engine.Evaluate(Request("GET", "https://app.example.com.evil.test")));
    }

    [Fact]
    public void Bad_values_and_unknown_fields_are_errors_naming_the_field_and_the_fix()
    {
        Parse("""{"allow_origins": ["example.com", "https://ok.test", "https://a.test/path"], "allow_methods": ["GET POST"], "allow_headers": [""], "allow_origin_regex": ["(unclosed"], "max_age": -1, "allow_origin": ["*"]}""", out var context);

        // The unknown field stops binding; the value checks run once every field binds.
        Assert.Equal("allow_origin", Assert.Single(context.Errors).FieldPath);
        Parse("""{"allow_origins": ["example.com", "https://ok.test", "https://a.test/path"], "allow_methods": ["GET POST"], "allow_headers": [""], "allow_origin_regex": ["(unclosed"], "max_age": -1}""", out context);
        Assert.Equal(
            ["allow_headers[0]", "allow_methods[0]", "allow_origin_regex[0]", "allow_origins[0]", "allow_origins[2]", "max_age"],
            context.Errors.Select(e => e.FieldPath).Order(StringComparer.Ordinal));
        Assert.All(context.Errors, e => Assert.False(string.IsNullOrEmpty(e.Fix)));
    }

    [Fact]
    public void Runs_before_authentication_plugins()
    {
        var plugin = new CorsPlugin();
        Assert.Equal(Higress.Core.Resources.PluginPhase.Authn, plugin.DefaultPhase);
        Assert.True(plugin.DefaultPriority > 910);
    }
}
