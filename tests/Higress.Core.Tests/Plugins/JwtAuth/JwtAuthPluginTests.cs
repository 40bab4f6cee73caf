using System.Text.Json;
using Higress.Core.Plugins;
using Higress.Core.Plugins.BuiltIn.JwtAuth;
using Higress.Tests.Jwt;
using Microsoft.AspNetCore.Http;
using static Higress.Core.Tests.Plugins.PluginTestData;

namespace Higress.Core.Tests.Plugins.JwtAuth;

/// <summary>jwt-auth on requests, with real keys: every algorithm, every refusal, claims, token removal, allow.</summary>
public sealed class JwtAuthPluginTests
{
    private const string Missing = "Request denied by JWT Auth check. JWT is missing.";
    private const string Expired = "Request denied by JWT Auth check. JWT is expired.";
    private const string Fails = "Request denied by JWT Auth check. JWT verification fails";

    private readonly JwtTestKeys _keys = JwtTestKeys.Shared;
    private static readonly Lazy<JwtTestKeys> Stranger = new(() => new JwtTestKeys("stranger"));

    private readonly JwtAuthPlugin _plugin;

    public JwtAuthPluginTests()
    {
        Assert.True(PluginCatalog.BuiltIn.TryGet(JwtAuthPlugin.PluginName, out var plugin));
        _plugin = (JwtAuthPlugin)plugin;
    }

    private string Consumers(string extra = "", string name = "alice-app") =>
        $$"""{"consumers":[{"name":"{{name}}","issuer":"example.com","jwks":{{JsonSerializer.Serialize(_keys.Jwks())}}{{extra}}}]}""";

    internal (JwtAuthConfig Config, JwtAuthState State) Load(string json, bool matchRule = false)
    {
        var context = new PluginConfigContext(JwtAuthPlugin.PluginName, "test") { IsMatchRule = matchRule };
        using var document = JsonDocument.Parse(json);
        var config = _plugin.ParseConfig(document.RootElement.Clone(), context);
        Assert.False(context.HasErrors, string.Join("\n", context.Errors));
        return (config, _plugin.CreateState(config));
    }

    internal async Task<(PluginResult Result, PluginContext Context)> SendAsync((JwtAuthConfig Config, JwtAuthState State) instance, Action<HttpRequest> request)
    {
        var http = new DefaultHttpContext();
        request(http.Request);
        var context = new PluginContext(http, Route()) { InstanceState = instance.State };
        return (await _plugin.OnRequestAsync(context, instance.Config), context);
    }

    private Task<(PluginResult Result, PluginContext Context)> Bearer((JwtAuthConfig, JwtAuthState) instance, string token) =>
        SendAsync(instance, r => r.Headers.Authorization = "Bearer " + token);

    [Theory]
    [InlineData("RS256")]
    [InlineData("RS384")]
    [InlineData("RS512")]
    [InlineData("PS256")]
    [InlineData("PS384")]
    [InlineData("PS512")]
    [InlineData("ES256")]
    [InlineData("ES384")]
    [InlineData("ES512")]
    [InlineData("HS256")]
    [InlineData("HS384")]
    [InlineData("HS512")]
    public async Task A_token_signed_with_a_key_of_the_set_passes_with_every_supported_algorithm(string alg)
    {
        var instance = Load(Consumers());
        using var state = instance.State;
        var (result, context) = await Bearer(instance, _keys.Token(alg));

        Assert.True(result.IsContinue, result.Body);
        Assert.Equal("alice-app", context.Consumer);
        Assert.Equal("alice-app", context.HttpContext.Request.Headers[PluginContext.ConsumerHeader].ToString());
    }

    public static TheoryData<string, string> Refusals() => new()
    {
        { "alg none", Fails },
        { "algorithm confusion", Fails },
        { "expired", Expired },
        { "not yet valid", Expired },
        { "wrong issuer", Fails },
        { "unknown kid", Fails },
        { "tampered payload", Fails },
        { "tampered signature", Fails },
        { "not a token", Fails },
        { "no token", Missing },
        { "wrong prefix", Missing },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Every_refused_variant_gets_401_with_Higress_message(string variant, string message)
    {
        var instance = Load(Consumers());
        using var state = instance.State;
        var stranger = Stranger.Value;
        var valid = _keys.Token();
        var token = variant switch
        {
            "alg none" => JwtTestKeys.Unsigned("""{"iss":"example.com","sub":"alice"}"""),
            "algorithm confusion" => _keys.AlgorithmConfusion(),
            "expired" => _keys.Token(expires: DateTime.UtcNow.AddMinutes(-5), notBefore: DateTime.UtcNow.AddMinutes(-10)),
            "not yet valid" => _keys.Token(notBefore: DateTime.UtcNow.AddMinutes(5)),
            "wrong issuer" => _keys.Token(issuer: "evil.example.com"),
            "unknown kid" => stranger.Token(),
            "tampered payload" => JwtTestKeys.WithPayload(valid, """{"iss":"example.com","sub":"admin","exp":4102444800}"""),
            "tampered signature" => valid[..^4] + (valid[^4] == 'A' ? "BBBB" : "AAAA"),
            "not a token" => "not.a.token",
            _ => valid,
        };

        var (result, context) = await SendAsync(instance, r =>
        {
            if (variant == "wrong prefix")
            {
                r.Headers.Authorization = "Token " + token;
            }
            else if (variant != "no token")
            {
                r.Headers.Authorization = "Bearer " + token;
            }
        });

        Assert.Equal(401, result.StatusCode);
        Assert.Equal(message, result.Body);
        Assert.Equal("JWT realm=MSE Gateway", context.HttpContext.Response.Headers.WWWAuthenticate.ToString());
        Assert.Null(context.Consumer);
    }

    [Fact]
    public async Task With_audiences_a_token_for_another_audience_gets_401()
    {
        var instance = Load(Consumers(",\"audiences\":[\"orders-api\"]"));
        using var state = instance.State;

        Assert.True((await Bearer(instance, _keys.Token(audience: "orders-api"))).Result.IsContinue);
        var (result, _) = await Bearer(instance, _keys.Token(audience: "billing-api"));
        Assert.Equal(401, result.StatusCode);
        Assert.Equal(Fails, result.Body);
        Assert.Equal(401, (await Bearer(instance, _keys.Token())).Result.StatusCode);
    }

    [Fact]
    public async Task Clock_skew_seconds_lets_a_just_expired_token_pass()
    {
        var instance = Load(Consumers(",\"clock_skew_seconds\":600"));
        using var state = instance.State;
        var token = _keys.Token(expires: DateTime.UtcNow.AddMinutes(-5), notBefore: DateTime.UtcNow.AddMinutes(-10));

        Assert.True((await Bearer(instance, token)).Result.IsContinue);
    }

    [Fact]
    public async Task A_consumer_that_allow_does_not_list_gets_403()
    {
        var instance = Load(Consumers().TrimEnd('}') + ",\"allow\":[\"bob-app\"]}", matchRule: true);
        using var state = instance.State;

        var (result, context) = await Bearer(instance, _keys.Token());

        Assert.Equal(403, result.StatusCode);
        Assert.Equal("Request denied by JWT Auth check. Unauthorized consumer.", result.Body);
        Assert.Null(context.Consumer);
    }

    [Fact]
    public async Task Claims_are_copied_to_headers_with_override_or_append()
    {
        var instance = Load(Consumers(""","claims_to_headers":[{"claim":"sub","header":"x-sub"},{"claim":"tier","header":"x-tier","override":false},{"claim":"age","header":"x-age"}]"""));
        using var state = instance.State;
        var token = _keys.Token(claims: new Dictionary<string, object> { ["tier"] = "gold", ["age"] = 42 });

        var (result, context) = await SendAsync(instance, r =>
        {
            r.Headers.Authorization = "Bearer " + token;
            r.Headers["x-sub"] = "spoofed";
            r.Headers["x-tier"] = "silver";
        });

        Assert.True(result.IsContinue, result.Body);
        var headers = context.HttpContext.Request.Headers;
        Assert.Equal("alice", headers["x-sub"].ToString());
        Assert.Equal("silver,gold", headers["x-tier"].ToString());
        Assert.Equal("42", headers["x-age"].ToString());
        Assert.Equal("Bearer " + token, headers.Authorization.ToString());
    }

    [Fact]
    public async Task Keep_token_false_removes_the_token_from_the_header_query_or_cookie_it_came_from()
    {
        var instance = Load(Consumers(""","keep_token":false,"from_headers":[{"name":"x-jwt","value_prefix":""}],"from_params":["jwt"],"from_cookies":["session"]"""));
        using var state = instance.State;
        var token = _keys.Token();

        var header = (await SendAsync(instance, r => r.Headers["x-jwt"] = token)).Context.HttpContext.Request;
        Assert.False(header.Headers.ContainsKey("x-jwt"));

        var (queryResult, queryContext) = await SendAsync(instance, r => r.QueryString = new QueryString($"?a=1&jwt={token}&b=2"));
        Assert.True(queryResult.IsContinue);
        Assert.Equal("?a=1&b=2", queryContext.HttpContext.Request.QueryString.Value);

        var (cookieResult, cookieContext) = await SendAsync(instance, r => r.Headers.Cookie = $"theme=dark; session={token}; sessionx=1");
        Assert.True(cookieResult.IsContinue);
        Assert.Equal("theme=dark; sessionx=1", cookieContext.HttpContext.Request.Headers.Cookie.ToString());

        // Defaults are not added once any source is configured: Authorization is not read.
        Assert.Equal(401, (await Bearer(instance, token)).Result.StatusCode);
    }

    [Fact]
    public async Task Without_configured_sources_the_token_is_read_from_Authorization_or_access_token()
    {
        var instance = Load(Consumers());
        using var state = instance.State;

        var (result, context) = await SendAsync(instance, r => r.QueryString = new QueryString("?access_token=" + _keys.Token()));

        Assert.True(result.IsContinue, result.Body);
        Assert.Contains("access_token=", context.HttpContext.Request.QueryString.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_first_consumer_whose_issuer_and_keys_verify_the_token_names_the_consumer()
    {
        using var other = new JwtTestKeys("other");
        var json = $$"""
            {"consumers":[
              {"name":"other-app","issuer":"other.com","jwks":{{JsonSerializer.Serialize(other.Jwks())}}},
              {"name":"alice-app","issuer":"example.com","jwks":{{JsonSerializer.Serialize(_keys.Jwks())}}}]}
            """;
        var instance = Load(json);
        using var state = instance.State;

        Assert.Equal("alice-app", (await Bearer(instance, _keys.Token())).Context.Consumer);
        Assert.Equal("other-app", (await Bearer(instance, other.Token(issuer: "other.com"))).Context.Consumer);
        Assert.Equal(401, (await Bearer(instance, other.Token(issuer: "example.com"))).Result.StatusCode);
    }

    [Fact]
    public async Task A_verified_token_is_recognised_by_its_text_until_it_expires_and_only_with_the_same_keys()
    {
        var instance = Load(Consumers(",\"clock_skew_seconds\":120"));
        var verifier = instance.State.Verifiers[0];
        var token = _keys.Token();
        Assert.Null(verifier.FindVerified(token));

        Assert.True((await Bearer(instance, token)).Result.IsContinue);
        Assert.NotNull(verifier.FindVerified(token));
        Assert.True((await Bearer(instance, token)).Result.IsContinue);

        // A tampered token is another text: it is verified, and refused.
        var tampered = JwtTestKeys.WithPayload(token, """{"iss":"example.com","sub":"mallory"}""");
        Assert.Null(verifier.FindVerified(tampered));
        Assert.Equal(401, (await Bearer(instance, tampered)).Result.StatusCode);

        // Expired but inside the clock skew: accepted, yet never trusted from the cache past its exp.
        var lapsed = _keys.Token(expires: DateTime.UtcNow.AddSeconds(-30), notBefore: DateTime.UtcNow.AddMinutes(-5));
        Assert.True((await Bearer(instance, lapsed)).Result.IsContinue);
        Assert.Null(verifier.FindVerified(lapsed));

        // Another instance (another key set) knows nothing of it.
        Assert.Null(Load(Consumers()).State.Verifiers[0].FindVerified(token));
    }
}
