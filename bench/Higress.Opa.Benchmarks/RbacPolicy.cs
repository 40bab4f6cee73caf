using System.Text;
using System.Text.Json;
using Higress.Opa;
using Higress.Opa.Builtins;
using Higress.Opa.Values;

namespace Higress.Opa.Benchmarks;

/// <summary>The opa-envoy-plugin style RBAC policy used by the benchmarks (about 20 rules).</summary>
public static class RbacPolicy
{
    public const string Source = """
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
        """;

    public const string Data = """
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
        return B64("""{"alg":"HS256","typ":"JWT"}""") + "." + B64(JsonSerializer.Serialize(new { sub, roles })) + ".c2ln";
    }

    public static RegoValue Input(string method, string path, string token) => RegoValue.FromObject(new Dictionary<string, object?>
    {
        ["attributes"] = new Dictionary<string, object?>
        {
            ["request"] = new Dictionary<string, object?>
            {
                ["http"] = new Dictionary<string, object?>
                {
                    ["method"] = method,
                    ["path"] = path,
                    ["headers"] = new Dictionary<string, object?> { ["authorization"] = "Bearer " + token, ["user-agent"] = "bench" },
                },
            },
        },
    });

    /// <summary>The default registry, completed with minimal stand-ins when the built-in library lacks a function the policy uses.</summary>
    public static BuiltinRegistry Builtins()
    {
        var d = BuiltinRegistry.Default;
        if (d.Contains("io.jwt.decode") && d.Contains("split") && d.Contains("startswith") && d.Contains("count"))
        {
            return d;
        }
        var r = BuiltinRegistry.CreateDefault();
        if (!r.Contains("split"))
        {
            r.Register2("split", (s, sep, _) => RegoArray.Create(Operand.AsString(s, 1).Split(Operand.AsString(sep, 2)).Select(x => (RegoValue)RegoValue.String(x))));
        }
        if (!r.Contains("startswith"))
        {
            r.Register2("startswith", (s, p, _) => RegoValue.Boolean(Operand.AsString(s, 1).StartsWith(Operand.AsString(p, 2), StringComparison.Ordinal)));
        }
        if (!r.Contains("count"))
        {
            r.Register1("count", (x, _) => RegoValue.Number(x switch { RegoArray a => a.Count, RegoSet s => s.Count, RegoObject o => o.Count, _ => 0 }));
        }
        if (!r.Contains("io.jwt.decode"))
        {
            r.Register1("io.jwt.decode", (t, _) =>
            {
                var parts = Operand.AsString(t, 1).Split('.');
                static RegoValue Part(string p)
                {
                    string b = p.Replace('-', '+').Replace('_', '/');
                    b = b.PadRight(b.Length + (4 - b.Length % 4) % 4, '=');
                    return RegoConvert.ParseJson(Encoding.UTF8.GetString(Convert.FromBase64String(b)));
                }
                return RegoArray.Create(Part(parts[0]), Part(parts[1]), RegoValue.String(parts[2]));
            });
        }
        return r;
    }

    public static CompiledPolicy Compile() =>
        new PolicyCompiler().WithBuiltins(Builtins()).AddModule("authz.rego", Source).AddDataJson(Data).Compile();

    /// <summary>A synthetic policy with <paramref name="rules"/> rules (half complete rules, half partial-set rules).</summary>
    public static string Large(int rules)
    {
        var sb = new StringBuilder("package large\n\nimport rego.v1\n\n");
        for (int i = 0; i < rules; i++)
        {
            if (i % 2 == 0)
            {
                sb.Append($"r{i} if {{\n\tinput.method == \"GET\"\n\tinput.path == \"/p/{i}\"\n\tsome role in input.roles\n\trole == \"role{i % 17}\"\n}}\n\n");
            }
            else
            {
                sb.Append($"s{i} contains x if {{\n\tsome x in input.items\n\tx > {i}\n\tnot input.blocked[x]\n}}\n\n");
            }
        }
        return sb.ToString();
    }
}
