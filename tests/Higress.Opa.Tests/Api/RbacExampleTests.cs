using System.Text.Json;
using Higress.Opa.Values;

namespace Higress.Opa.Tests.Api;

public sealed class RbacExampleTests
{
    private static readonly CompiledPolicy Policy = TestPolicies.CompileRbac();

    [Theory]
    [InlineData("GET", "/api/books/42", "alice", "reader", true)]
    [InlineData("POST", "/api/books/42", "alice", "reader", false)]
    [InlineData("POST", "/api/books", "bob", "writer", true)]
    [InlineData("DELETE", "/api/books", "carol", "admin", true)]
    [InlineData("PUT", "/healthz", "olivia", "ops", true)]
    [InlineData("GET", "/api/books", "mallory", "admin", false)]
    [InlineData("GET", "/api/books", "nobody", "guest", false)]
    public void Allow_FollowsRolesFromTheJwtClaim(string method, string path, string user, string role, bool expected)
    {
        var query = Policy.PrepareQuery("data.envoy.authz.allow");
        var result = query.Evaluate(TestPolicies.Request(method, path, TestPolicies.Jwt(user, role)));
        Assert.Equal(expected, result.IsTrue);
    }

    [Fact]
    public void MissingToken_IsDenied()
    {
        var result = Policy.PrepareQuery("data.envoy.authz.allow").Evaluate(TestPolicies.Request("GET", "/api/books", null));
        Assert.True(result.IsDefined);
        Assert.Equal(RegoValue.False, result.Value);
    }

    [Fact]
    public void Decision_IsAvailableAsJsonAndDotNetValues()
    {
        var result = Policy.PrepareQuery("data.envoy.authz.decision").Evaluate(TestPolicies.Request("POST", "/api/books", TestPolicies.Jwt("bob", "writer", "reader")));
        JsonElement json = result.ToJsonElement()!.Value;
        Assert.True(json.GetProperty("allowed").GetBoolean());
        Assert.Equal("permission", json.GetProperty("reason").GetString());
        Assert.Equal("bob", json.GetProperty("headers").GetProperty("x-user").GetString());
        Assert.Equal(2, json.GetProperty("headers").GetProperty("x-roles").GetInt32());
        var plain = (Dictionary<string, object?>)result.ToObject()!;
        Assert.Equal(true, plain["allowed"]);
    }

    [Fact]
    public void QueryWithVariables_ReturnsBindings()
    {
        var result = Policy.PrepareQuery("some role in data.envoy.authz.roles").Evaluate(TestPolicies.Request("GET", "/", TestPolicies.Jwt("x", "reader", "ops")));
        Assert.Equal(["ops", "reader"], result.Select(r => ((RegoString)r.Bindings.Get("role")!).Value).Order(StringComparer.Ordinal));
    }
}
