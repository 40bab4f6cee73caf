using Higress.Core.Plugins;
using Higress.Core.Plugins.BuiltIn.KeyAuth;
using Higress.Core.Resources;
using static Higress.Core.Tests.Plugins.AuthPluginTestKit;

namespace Higress.Core.Tests.Plugins;

public class KeyAuthPluginTests
{
    private const string Config = """
        {"global_auth": true, "keys": ["apikey", "x-api-key"], "consumers": [
          {"name": "consumer1", "credential": "2bda943c-ba2b-11ec-ba07-00163e1250b5"},
          {"name": "consumer2", "credential": "c8c8e9ca-558e-4a2d-bb62-e700dcc40e35"}]}
        """;

    private readonly KeyAuthPlugin _plugin = new();

    [Fact]
    public void Defaults_read_the_key_from_headers_and_query_and_derive_enforcement_from_global_auth()
    {
        var config = Valid(_plugin, Config);
        Assert.True(config.InHeader);
        Assert.True(config.InQuery);
        Assert.True(config.Enforced);
        Assert.Equal(310, _plugin.DefaultPriority);
        Assert.Equal(PluginPhase.Authn, _plugin.DefaultPhase);

        Assert.False(Valid(_plugin, Config.Replace("\"global_auth\": true", "\"global_auth\": false", StringComparison.Ordinal)).Enforced);
        Assert.True(Valid(_plugin, Config.Replace("\"global_auth\": true,", string.Empty, StringComparison.Ordinal)).Enforced);
        Assert.False(Valid(_plugin, Config.Replace("\"global_auth\": true,", string.Empty, StringComparison.Ordinal), hasMatchRules: true).Enforced);
    }

    [Theory]
    [InlineData("/test", "x-api-key", "2bda943c-ba2b-11ec-ba07-00163e1250b5", "consumer1")]
    [InlineData("/test?apikey=c8c8e9ca-558e-4a2d-bb62-e700dcc40e35", null, null, "consumer2")]
    public async Task A_known_key_in_a_header_or_the_query_names_its_consumer_and_stays_on_the_request(string path, string? header, string? value, string consumer)
    {
        var http = header is null ? Request(path) : Request(path, (header, value!));

        var (result, context) = await RunAsync(_plugin, Valid(_plugin, Config), http);

        Assert.True(result.IsContinue);
        Assert.Equal(consumer, context.Consumer);
        Assert.Equal(consumer, http.Request.Headers[PluginContext.ConsumerHeader]);
        if (header is not null)
        {
            Assert.Equal(value, http.Request.Headers[header]);
        }
        else
        {
            Assert.Contains("apikey=", http.Request.QueryString.Value, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/test", new string[0], KeyAuthPlugin.NoKey)]
    [InlineData("/test?apikey=926d90ac-ba2e-11ec-ab68-00163e1250b5", new string[0], KeyAuthPlugin.InvalidKey)]
    [InlineData("/test?apikey=2bda943c-ba2b-11ec-ba07-00163e1250b5", new[] { "x-api-key", "2bda943c-ba2b-11ec-ba07-00163e1250b5" }, KeyAuthPlugin.MultipleKeys)]
    [InlineData("/test", new[] { "x-api-key", "2bda943c-ba2b-11ec-ba07-00163e1250b5", "apikey", "c8c8e9ca-558e-4a2d-bb62-e700dcc40e35" }, KeyAuthPlugin.MultipleKeys)]
    [InlineData("/test?apikey=", new string[0], KeyAuthPlugin.NoKey)]
    public async Task A_missing_unknown_or_ambiguous_key_is_401_with_Higress_message_and_challenge(string path, string[] headers, string message)
    {
        var pairs = headers.Chunk(2).Select(h => (h[0], h[1])).ToArray();
        var http = Request(path, pairs);

        var (result, context) = await RunAsync(_plugin, Valid(_plugin, Config), http);

        Assert.Equal(401, result.StatusCode);
        Assert.Equal(message, result.Body);
        Assert.Equal("Key realm=MSE Gateway", http.Response.Headers.WWWAuthenticate);
        Assert.Null(context.Consumer);
        Assert.False(http.Request.Headers.ContainsKey(PluginContext.ConsumerHeader));
    }

    [Fact]
    public async Task In_header_false_ignores_headers_and_in_query_false_ignores_the_query()
    {
        var queryOnly = Valid(_plugin, Config.Replace("\"global_auth\": true", "\"global_auth\": true, \"in_header\": false", StringComparison.Ordinal));
        var (header, _) = await RunAsync(_plugin, queryOnly, Request("/", ("x-api-key", "2bda943c-ba2b-11ec-ba07-00163e1250b5")));
        Assert.Equal(KeyAuthPlugin.NoKey, header.Body);

        var headerOnly = Valid(_plugin, Config.Replace("\"global_auth\": true", "\"global_auth\": true, \"in_query\": false", StringComparison.Ordinal));
        var (query, _) = await RunAsync(_plugin, headerOnly, Request("/?apikey=2bda943c-ba2b-11ec-ba07-00163e1250b5"));
        Assert.Equal(KeyAuthPlugin.NoKey, query.Body);
    }

    [Fact]
    public async Task A_consumer_that_allow_does_not_name_is_403_and_one_it_names_passes()
    {
        var rule = Valid(_plugin, Config.Replace("\"global_auth\": true", "\"allow\": [\"consumer1\"]", StringComparison.Ordinal), isMatchRule: true);

        var (denied, context) = await RunAsync(_plugin, rule, Request("/?apikey=c8c8e9ca-558e-4a2d-bb62-e700dcc40e35"));
        Assert.Equal(403, denied.StatusCode);
        Assert.Equal(KeyAuthPlugin.Unauthorized, denied.Body);
        Assert.Null(context.Consumer);

        var (allowed, _) = await RunAsync(_plugin, rule, Request("/?apikey=2bda943c-ba2b-11ec-ba07-00163e1250b5"));
        Assert.True(allowed.IsContinue);
    }

    [Fact]
    public async Task A_default_config_with_global_auth_false_lets_requests_pass_untouched()
    {
        var config = Valid(_plugin, Config.Replace("\"global_auth\": true", "\"global_auth\": false", StringComparison.Ordinal));
        var http = Request("/");

        var (result, context) = await RunAsync(_plugin, config, http);

        Assert.True(result.IsContinue);
        Assert.Null(context.Consumer);
    }

    [Fact]
    public async Task A_credential_ref_reads_the_key_from_a_Secret_of_the_plugin_namespace()
    {
        var config = Valid(_plugin, """{"keys": ["x-api-key"], "consumers": [{"name": "vault", "credential_ref": {"name": "creds", "key": "key1"}}]}""");

        var (result, context) = await RunAsync(_plugin, config, Request("/", ("x-api-key", "secret-key-from-secret")));

        Assert.True(result.IsContinue);
        Assert.Equal("vault", context.Consumer);
        Assert.DoesNotContain("secret-key-from-secret", config.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"alow": ["a"]}""", "alow")]
    [InlineData("""{"in_query": "maybe"}""", "in_query")]
    [InlineData("""{"global_auth": true, "keys": ["k"], "consumers": []}""", "consumers: is empty while global_auth is true")]
    [InlineData("""{"keys": ["k"], "consumers": [{"name": "a", "credential": "x"}, {"name": "a", "credential": "y"}]}""", "consumers[1].name: 'a' is also the name of consumers[0]")]
    [InlineData("""{"keys": ["k"], "consumers": [{"name": "a", "credential": "x"}, {"name": "b", "credential": "x"}]}""", "consumers[1].credential: is the same as the credential of consumers[0]")]
    [InlineData("""{"keys": ["k"], "consumers": [{"name": "a"}]}""", "consumers[0].credential: is missing or empty")]
    [InlineData("""{"keys": ["k"], "consumers": [{"name": "a", "credential": "x", "credential_ref": {"name": "creds", "key": "key1"}}]}""", "consumers[0].credential: is set together with")]
    [InlineData("""{"keys": ["k"], "consumers": [{"name": "a", "credential_ref": {"name": "other", "key": "key1"}}]}""", "consumers[0].credential_ref: Secret a/other does not exist")]
    [InlineData("""{"keys": [], "consumers": [{"name": "a", "credential": "x"}]}""", "keys: is empty")]
    [InlineData("""{"keys": ["k"], "in_query": false, "in_header": false, "consumers": [{"name": "a", "credential": "x"}]}""", "in_query: and in_header are both false")]
    public void Bad_configs_are_errors_naming_the_field_and_the_fix(string json, string expected)
    {
        var (_, context) = Parse(_plugin, json);

        var error = Assert.Single(context.Errors, e => e.ToString().Contains(expected, StringComparison.Ordinal));
        Assert.False(string.IsNullOrEmpty(error.Fix));
        Assert.DoesNotContain(context.Errors, e => e.ToString().Contains("\"x\"", StringComparison.Ordinal) || e.ToString().Contains("'x'", StringComparison.Ordinal));
    }
}
