using System.Text;
using Higress.Core.Plugins;
using Higress.Core.Plugins.BuiltIn.BasicAuth;
using static Higress.Core.Tests.Plugins.AuthPluginTestKit;

namespace Higress.Core.Tests.Plugins;

public class BasicAuthPluginTests
{
    private const string Config = """
        {"global_auth": true, "consumers": [
          {"name": "consumer1", "credential": "admin:123456"},
          {"name": "consumer2", "credential": "guest:abc"},
          {"name": "vault", "credential_ref": {"name": "creds", "key": "userpass"}}]}
        """;

    private readonly BasicAuthPlugin _plugin = new();

    private static (string, string) Basic(string userAndPassword) => ("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(userAndPassword)));

    [Theory]
    [InlineData("admin:123456", "consumer1")]
    [InlineData("guest:abc", "consumer2")]
    [InlineData("vault:s3cr:et", "vault")]
    public async Task A_right_user_and_password_names_the_consumer(string credential, string consumer)
    {
        var http = Request("/", Basic(credential));

        var (result, context) = await RunAsync(_plugin, Valid(_plugin, Config), http);

        Assert.True(result.IsContinue);
        Assert.Equal(consumer, context.Consumer);
        Assert.Equal(consumer, http.Request.Headers[PluginContext.ConsumerHeader]);
    }

    [Fact]
    public async Task Higress_doc_header_example_is_consumer1()
    {
        var (result, context) = await RunAsync(_plugin, Valid(_plugin, Config), Request("/", ("Authorization", "Basic YWRtaW46MTIzNDU2")));
        Assert.True(result.IsContinue);
        Assert.Equal("consumer1", context.Consumer);
    }

    [Theory]
    [InlineData(null, BasicAuthPlugin.NoCredentials)]
    [InlineData("Bearer abc", BasicAuthPlugin.NoCredentials)]
    [InlineData("Basic !!!notbase64", BasicAuthPlugin.InvalidCredentials)]
    [InlineData("Basic YWRtaW4=", BasicAuthPlugin.InvalidCredentials)]
    [InlineData("Basic YWRtaW46YWJj", BasicAuthPlugin.InvalidCredentials)]
    [InlineData("Basic bm9ib2R5OjEyMzQ1Ng==", BasicAuthPlugin.InvalidCredentials)]
    [InlineData("Basic YWRtaW46MTIzNDU2Nw==", BasicAuthPlugin.InvalidCredentials)]
    public async Task Missing_or_wrong_credentials_are_401_with_a_Basic_challenge(string? authorization, string message)
    {
        var http = authorization is null ? Request("/") : Request("/", ("Authorization", authorization));

        var (result, context) = await RunAsync(_plugin, Valid(_plugin, Config), http);

        Assert.Equal(401, result.StatusCode);
        Assert.Equal(message, result.Body);
        Assert.Equal("Basic realm=MSE Gateway", http.Response.Headers.WWWAuthenticate);
        Assert.Null(context.Consumer);
    }

    [Fact]
    public async Task A_consumer_that_allow_does_not_name_is_403()
    {
        var rule = Valid(_plugin, Config.Replace("\"global_auth\": true", "\"allow\": [\"consumer1\"]", StringComparison.Ordinal), isMatchRule: true);

        var (denied, _) = await RunAsync(_plugin, rule, Request("/", Basic("guest:abc")));

        Assert.Equal(403, denied.StatusCode);
        Assert.Equal(BasicAuthPlugin.Unauthorized, denied.Body);
    }

    [Theory]
    [InlineData("""{"consumers": [{"name": "a", "credential": "nocolon"}]}""", "consumers[0].credential: is not of the form user:password")]
    [InlineData("""{"consumers": [{"name": "a", "credential": "u:1"}, {"name": "b", "credential": "u:2"}]}""", "consumers[1].credential: names user 'u' like consumer 'a'")]
    [InlineData("""{"consumers": [{"name": "a", "credential": "u:1"}, {"name": "b", "credential": "u:1"}]}""", "consumers[1].credential: is the same as the credential of consumers[0]")]
    [InlineData("""{"global_auth": true, "consumers": []}""", "consumers: is empty while global_auth is true")]
    [InlineData("""{"consumers": [{"name": "a", "credential": "u:1"}], "allow": "a"}""", "allow")]
    [InlineData("""{"consumers": [{"name": "a", "credential": "u:1", "password": "x"}]}""", "consumers[0].password")]
    public void Bad_configs_are_errors_naming_the_field_and_the_fix(string json, string expected)
    {
        var (_, context) = Parse(_plugin, json);

        var error = Assert.Single(context.Errors, e => e.ToString().StartsWith(expected, StringComparison.Ordinal));
        Assert.False(string.IsNullOrEmpty(error.Fix));
        Assert.DoesNotContain(context.Errors, e => e.ToString().Contains("u:1", StringComparison.Ordinal));
    }
}
