using System.Globalization;
using System.Text;
using Higress.Core.Plugins;
using Higress.Core.Plugins.BuiltIn.HmacAuth;
using Microsoft.AspNetCore.Http;
using static Higress.Core.Tests.Plugins.AuthPluginTestKit;

namespace Higress.Core.Tests.Plugins;

public class HmacAuthPluginTests
{
    private const string Config = """
        {"global_auth": true, "consumers": [
          {"key": "appKey-example-1", "secret": "appSecret-example-1", "name": "consumer-1"},
          {"key": "appKey-example-2", "secret": "appSecret-example-2", "name": "consumer-2"},
          {"key": "appKey-vault", "secret_ref": {"name": "creds", "key": "hmac"}, "name": "vault"}]}
        """;

    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    private readonly HmacAuthPlugin _plugin = new(new FixedTime(Now));

    private static DefaultHttpContext Signed(string method, string pathAndQuery, (string, string)[] headers, string? body = null, string key = "appKey-example-1", string secret = "appSecret-example-1", bool sha1 = false)
    {
        var form = headers.Any(h => h.Item1 == "Content-Type" && h.Item2.Contains("x-www-form-urlencoded", StringComparison.Ordinal)) ? body : null;
        var http = Request(pathAndQuery, [.. HmacSigner.Sign(key, secret, method, pathAndQuery, headers, form, sha1)]);
        http.Request.Method = method;
        if (body is not null)
        {
            http.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
            http.Request.ContentLength = Encoding.UTF8.GetByteCount(body);
        }

        return http;
    }

    private Task<(PluginResult Result, PluginContext Context)> Run(HttpContext http, string config = Config) => RunAsync(_plugin, Valid(_plugin, config), http);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_request_signed_as_the_documentation_says_passes_with_HmacSHA256_and_HmacSHA1(bool sha1)
    {
        var http = Signed("GET", "/app/v1/config/keys?keys=TEST&b=%E4%B8%AD&a=1&a=2", [("Accept", "application/json"), ("x-ca-timestamp", "1589458000000"), ("x-ca-nonce", "n1")], sha1: sha1);

        var (result, context) = await Run(http);

        Assert.True(result.IsContinue, result.Body);
        Assert.Equal("consumer-1", context.Consumer);
        Assert.Equal("consumer-1", http.Request.Headers[PluginContext.ConsumerHeader]);
    }

    [Fact]
    public async Task Form_parameters_are_signed_with_the_query_and_a_changed_body_is_an_invalid_signature()
    {
        (string, string)[] headers = [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), ("Accept", "application/json; charset=utf-8")];
        var ok = Signed("POST", "/http2test/test?param1=test", headers, "username=xiaoming&password=123456789");
        Assert.True((await Run(ok)).Result.IsContinue);

        var tampered = Signed("POST", "/http2test/test?param1=test", headers, "username=xiaoming&password=123456789");
        tampered.Request.Body = new MemoryStream("username=admin&password=123456789"u8.ToArray());
        var (result, _) = await Run(tampered);
        Assert.Equal(400, result.StatusCode);
        Assert.Equal(HmacAuthPlugin.InvalidSignature, result.Body);
        Assert.Contains("#/http2test/test?param1=test&password=123456789&username=admin`", tampered.Response.Headers["X-Ca-Error-Message"].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Content_MD5_must_match_the_body()
    {
        const string body = """{"order": 1}""";
        var ok = Signed("POST", "/orders", [("Content-Type", "application/json"), ("Content-MD5", HmacSigner.ContentMd5(body))], body);
        Assert.True((await Run(ok)).Result.IsContinue);

        var wrong = Signed("POST", "/orders", [("Content-Type", "application/json"), ("Content-MD5", HmacSigner.ContentMd5("other"))], body);
        var (result, _) = await Run(wrong);
        Assert.Equal(400, result.StatusCode);
        Assert.Equal(HmacAuthPlugin.InvalidContentMd5, result.Body);
    }

    [Fact]
    public async Task A_parameter_without_a_value_may_be_signed_as_documented_or_as_Higress_implements_it()
    {
        var documented = Signed("GET", "/p?flag&x=1", []);
        Assert.True((await Run(documented)).Result.IsContinue);

        // Higress's implementation signs "flag=": build that by hand.
        var http = Request("/p?flag&x=1", ("x-ca-key", "appKey-example-1"));
        http.Request.Method = "GET";
        var sts = "GET\n\n\n\n\n/p?flag=&x=1";
        var signature = Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData("appSecret-example-1"u8.ToArray(), Encoding.UTF8.GetBytes(sts)));
        http.Request.Headers["x-ca-signature"] = signature;
        Assert.True((await Run(http)).Result.IsContinue);
    }

    [Fact]
    public async Task Missing_or_unknown_keys_missing_and_wrong_signatures_are_refused_as_Higress_does()
    {
        var (noKey, _) = await Run(Request("/"));
        Assert.Equal((401, HmacAuthPlugin.InvalidKey), (noKey.StatusCode, noKey.Body));

        var (unknown, _) = await Run(Signed("GET", "/", [], key: "nobody"));
        Assert.Equal((401, HmacAuthPlugin.InvalidKey), (unknown.StatusCode, unknown.Body));

        var (unsigned, _) = await Run(Request("/", ("x-ca-key", "appKey-example-1")));
        Assert.Equal((401, HmacAuthPlugin.EmptySignature), (unsigned.StatusCode, unsigned.Body));

        var wrongSecret = Signed("GET", "/a?b=1", [("Accept", "text/plain")], secret: "guess");
        var (wrong, context) = await Run(wrongSecret);
        Assert.Equal((400, HmacAuthPlugin.InvalidSignature), (wrong.StatusCode, wrong.Body));
        Assert.StartsWith("Server StringToSign:`GET#text/plain####", wrongSecret.Response.Headers["X-Ca-Error-Message"].ToString(), StringComparison.Ordinal);
        Assert.Null(context.Consumer);
    }

    [Fact]
    public async Task A_secret_ref_reads_the_secret_from_a_Secret_and_allow_refuses_other_consumers_with_403()
    {
        var (vault, context) = await Run(Signed("GET", "/", [], key: "appKey-vault", secret: "hmac-secret-from-secret"));
        Assert.True(vault.IsContinue);
        Assert.Equal("vault", context.Consumer);

        var rule = Config.Replace("\"global_auth\": true", "\"allow\": [\"consumer-2\"]", StringComparison.Ordinal);
        var (denied, _) = await RunAsync(_plugin, Valid(_plugin, rule, isMatchRule: true), Signed("GET", "/", []));
        Assert.Equal((403, HmacAuthPlugin.Unauthorized), (denied.StatusCode, denied.Body));
    }

    [Theory]
    [InlineData("Date", "Sun, 06 Dec 2026 11:58:00 GMT", true)]
    [InlineData("Date", "Sun, 06 Dec 2026 11:50:00 GMT", false)]
    [InlineData("Date", "yesterday", false)]
    [InlineData("x-ca-timestamp", "1796558310000", true)]
    [InlineData("x-ca-timestamp", "1796558310", true)]
    [InlineData("x-ca-timestamp", "1796550000000", false)]
    [InlineData("x-ca-timestamp", "soon", false)]
    [InlineData(null, null, false)]
    public async Task Date_offset_bounds_the_Date_or_the_timestamp(string? header, string? value, bool passes)
    {
        Assert.Equal(1796558400000, Now.ToUnixTimeMilliseconds());
        var http = Signed("GET", "/", header is null ? [] : [(header, value!)]);

        var (result, _) = await Run(http, Config.Replace("\"global_auth\": true", "\"global_auth\": true, \"date_offset\": 300", StringComparison.Ordinal));

        Assert.Equal(passes, result.IsContinue);
        if (!passes)
        {
            Assert.Equal((400, HmacAuthPlugin.InvalidDate), (result.StatusCode, result.Body));
        }
    }

    [Theory]
    [InlineData("""{"consumers": [{"key": "k", "secret": "s", "name": "a"}, {"key": "k", "secret": "t", "name": "b"}]}""", "consumers[1].key: 'k' is also the key of consumers[0]")]
    [InlineData("""{"consumers": [{"key": "k", "name": "a"}]}""", "consumers[0].secret: is missing or empty")]
    [InlineData("""{"consumers": [{"secret": "s", "name": "a"}]}""", "consumers[0].key")]
    [InlineData("""{"consumers": [{"key": "k", "secret": "s", "name": "a"}], "date_offset": -1}""", "date_offset: -1 is negative")]
    [InlineData("""{"consumers": [{"key": "k", "secret": "s", "name": "a"}], "date_offset": "5m"}""", "date_offset")]
    [InlineData("""{"global_auth": true, "consumers": []}""", "consumers: is empty while global_auth is true")]
    public void Bad_configs_are_errors_naming_the_field_and_the_fix(string json, string expected)
    {
        var (_, context) = Parse(_plugin, json);

        var error = Assert.Single(context.Errors, e => e.ToString().StartsWith(expected, StringComparison.Ordinal));
        Assert.False(string.IsNullOrEmpty(error.Fix));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
