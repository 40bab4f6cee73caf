namespace Higress.Tests.Opa;

/// <summary>
/// The opa-envoy-plugin style RBAC policy the opa plugin's tests decide with (roles from a JWT claim, permissions from
/// data), and its permissions. Linked into Higress.EndToEnd.Tests, so that the unit and end-to-end tests share it.
/// </summary>
internal static class OpaRbacPolicy
{
    public const string Rego = """
        package envoy.authz

        import rego.v1

        default allow := false

        http_request := input.attributes.request.http

        token := payload if {
            [_, encoded] := split(http_request.headers.authorization, " ")
            [_, payload, _] := io.jwt.decode(encoded)
        }

        allow if "admin" in token.roles

        allow if {
            some role in token.roles
            some perm in data.role_permissions[role]
            perm.method == http_request.method
            startswith(http_request.path, perm.path)
        }
        """;

    /// <summary>The data document: readers may GET /api/books, writers may POST there.</summary>
    public const string Permissions = """{"role_permissions": {"reader": [{"method": "GET", "path": "/api/books"}], "writer": [{"method": "POST", "path": "/api/books"}]}}""";
}
