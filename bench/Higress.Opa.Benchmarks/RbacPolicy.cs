using System.Text;
using Higress.Opa.Tests.Api;
using Higress.Opa.Values;

namespace Higress.Opa.Benchmarks;

/// <summary>
/// The opa-envoy-plugin style RBAC policy (about 20 rules) the benchmarks evaluate: the same policy, data and tokens
/// as the API tests (<c>tests/Higress.Opa.Tests/Api/TestPolicies.cs</c>, compiled into this project), so the numbers
/// are measured on exactly what the tests prove correct.
/// </summary>
public static class RbacPolicy
{
    public static string Jwt(string sub, params string[] roles) => TestPolicies.Jwt(sub, roles);

    public static RegoValue Input(string method, string path, string token) => RegoValue.FromObject(TestPolicies.Request(method, path, token));

    public static CompiledPolicy Compile() => TestPolicies.CompileRbac();

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
