using System.Text;
using System.Text.Json;
using Higress.Opa.Builtins;
using Higress.Opa.Values;

namespace Higress.Opa.Tests.Api;

/// <summary>The RBAC example policy (opa-envoy-plugin style) and helpers shared by the API tests.</summary>
internal static class TestPolicies
{
    public const string EnvoyRbac = """
        package envoy.authz

        import rego.v1

        default allow := false

        http_request := input.attributes.request.http

        method := http_request.method

        path := http_request.path

        token := payload if {
        	[scheme, encoded] := split(http_request.headers.authorization, " ")
        	scheme == "Bearer"
        	[_, payload, _] := io.jwt.decode(encoded)
        }

        user := token.sub

        roles contains role if some role in token.roles

        is_admin if "admin" in roles

        permissions contains perm if {
        	some role in roles
        	some perm in data.role_permissions[role]
        }

        method_matches(perm) if perm.method == method

        method_matches(perm) if perm.method == "*"

        path_matches(perm) if perm.path == path

        path_matches(perm) if {
        	perm.prefix
        	startswith(path, perm.path)
        }

        blocked if user in data.blocked_users

        allow if {
        	not blocked
        	is_admin
        }

        allow if {
        	not blocked
        	some perm in permissions
        	method_matches(perm)
        	path_matches(perm)
        }

        reason := "blocked" if blocked
        else := "admin" if is_admin
        else := "permission" if allow
        else := "no matching permission"

        headers["x-user"] := user if allow

        headers["x-roles"] := count(roles) if allow

        decision := {"allowed": allow, "reason": reason, "headers": headers}
        """;

    public const string RbacData = """
        {
          "role_permissions": {
            "reader": [{"method": "GET", "path": "/api/books", "prefix": true}],
            "writer": [{"method": "GET", "path": "/api/books", "prefix": true}, {"method": "POST", "path": "/api/books"}],
            "ops": [{"method": "*", "path": "/healthz"}]
          },
          "blocked_users": ["mallory"]
        }
        """;

    public static string Jwt(string sub, params string[] roles)
    {
        static string B64(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        string header = B64("""{"alg":"HS256","typ":"JWT"}""");
        string payload = B64(JsonSerializer.Serialize(new { sub, roles, exp = 4102444800 }));
        return $"{header}.{payload}.c2lnbmF0dXJl";
    }

    public static Dictionary<string, object?> Request(string method, string path, string? token) => new()
    {
        ["attributes"] = new Dictionary<string, object?>
        {
            ["request"] = new Dictionary<string, object?>
            {
                ["http"] = new Dictionary<string, object?>
                {
                    ["method"] = method,
                    ["path"] = path,
                    ["headers"] = token is null ? new Dictionary<string, object?>() : new Dictionary<string, object?> { ["authorization"] = "Bearer " + token },
                },
            },
        },
    };

    /// <summary>The registry the examples compile with: OPA's built-ins as the library provides them.</summary>
    public static BuiltinRegistry Builtins() => BuiltinRegistry.Default;

    public static CompiledPolicy CompileRbac() =>
        new PolicyCompiler().WithBuiltins(Builtins()).AddModule("envoy/authz.rego", EnvoyRbac).AddDataJson(RbacData).Compile();
}
