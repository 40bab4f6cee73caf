using Higress.Core.Diagnostics;
using Higress.Core.Plugins.BuiltIn.Opa;
using Higress.Core.Resources;
using Higress.Tests.Opa;
using static Higress.Core.Tests.Plugins.PluginTestData;

namespace Higress.Core.Tests.Plugins.Opa;

public sealed class OpaPluginTests
{
    private readonly OpaTestKit _kit = new();

    [Fact]
    public void An_inline_policy_that_does_not_compile_is_an_error_on_rego_with_file_line_and_column()
    {
        var error = Assert.Single(ParseConfig(_kit.Plugin, OpaTestKit.Inline("package authz\n\nallow if {\n  input.x ==\n}")).Errors);
        Assert.Equal("rego", error.FieldPath);
        Assert.Matches(@"policy\.rego:\d+:\d+", error.Message);
        Assert.False(string.IsNullOrEmpty(error.Fix));

        var module = Assert.Single(ParseConfig(_kit.Plugin, """{"policy": "a/allow", "modules": {"a.rego": "package a\nallow if {"}}""").Errors);
        Assert.Equal("modules.a.rego", module.FieldPath);
        Assert.Contains("a.rego:", module.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"policy": "a/allow"}""", "", "names no policy")]
    [InlineData("""{"policy": "a/allow", "rego": "package a", "directory": "/tmp/x"}""", "directory", "together with rego")]
    [InlineData("""{"policy": "a/allow", "rego": "package a", "host": "127.0.0.1", "servicePort": 8181}""", "rego", "remote OPA")]
    [InlineData("""{"policy": "a//allow", "rego": "package a"}""", "policy", "empty segment")]
    [InlineData("""{"policy": "a/allow", "serviceSource": "k8s", "serviceName": "opa", "servicePort": 8181}""", "namespace", "required")]
    [InlineData("""{"policy": "a/allow", "serviceSource": "ip", "servicePort": 8181}""", "host", "required")]
    [InlineData("""{"policy": "a/allow", "serviceSource": "consul", "host": "x", "servicePort": 1}""", "serviceSource", "not a service source")]
    [InlineData("""{"policy": "a/allow", "rego": "package a", "with_bdy": true}""", "with_bdy", "")]
    public void Bad_configs_are_errors_naming_the_field_and_the_fix(string json, string field, string message) =>
        AssertSingleError(_kit.Plugin, json, field, message);

    [Fact]
    public void Higress_remote_fields_give_the_decision_url_and_policy_is_the_whole_path()
    {
        var k8s = _kit.Config("""{"policy": "authz/allow", "timeout": "5s", "serviceSource": "k8s", "serviceName": "opa", "servicePort": 8181, "namespace": "higress-backend"}""");
        Assert.True(k8s.IsRemote);
        Assert.Equal("http://opa.higress-backend.svc.cluster.local:8181/v1/data/authz/allow", k8s.RemoteUri!.ToString());
        var ip = _kit.Config("""{"policy": "data.example1.allow", "serviceSource": "ip", "host": "10.0.0.5", "servicePort": 8181}""");
        Assert.Equal("http://10.0.0.5:8181/v1/data/example1/allow", ip.RemoteUri!.ToString());
        Assert.Equal(TimeSpan.FromSeconds(1), ip.Timeout);
    }

    [Theory]
    [InlineData("""{"roles": ["admin"]}""", "DELETE", "/api/anything", true)]
    [InlineData("""{"roles": ["reader"]}""", "GET", "/api/books/42", true)]
    [InlineData("""{"roles": ["reader"]}""", "POST", "/api/books", false)]
    [InlineData("""{"roles": ["reader"]}""", "GET", "/api/users", false)]
    [InlineData("""{"roles": []}""", "GET", "/api/books", false)]
    public async Task An_opa_envoy_plugin_RBAC_policy_runs_unchanged(string claims, string method, string path, bool allowed)
    {
        var config = _kit.Config(OpaTestKit.Inline(OpaRbacPolicy.Rego, "envoy/authz/allow", "\"data\": {\"role_permissions\": {\"reader\": [{\"method\": \"GET\", \"path\": \"/api/books\"}]}}"));
        using var state = _kit.Plugin.CreateState(config);
        var (result, _) = await _kit.SendAsync(config, state, method, path, headers: new Dictionary<string, string> { ["Authorization"] = "Bearer " + OpaTestKit.Jwt(claims) });
        Assert.Equal(allowed ? 0 : 403, result.StatusCode);
    }

    [Fact]
    public async Task No_token_and_an_undefined_decision_deny_with_403()
    {
        var config = _kit.Config(OpaTestKit.Inline("package authz\n\nimport rego.v1\n\nallow if input.request.method == \"GET\""));
        using var state = _kit.Plugin.CreateState(config);
        Assert.Equal(0, (await _kit.SendAsync(config, state, "GET")).Result.StatusCode);
        Assert.Equal(403, (await _kit.SendAsync(config, state, "POST")).Result.StatusCode);
    }

    [Fact]
    public async Task The_input_has_both_shapes_lower_case_headers_the_normalized_path_consumer_and_route()
    {
        const string policy = """
            package authz

            import rego.v1

            allow if {
                http := input.attributes.request.http
                http.method == "POST"
                http.path == "/api/x?a=1&a=2"
                http.host == "api.example.com"
                http.headers["x-test"] == "one, two"
                http.query == "a=1&a=2"
                input.parsed_path == ["api", "x"]
                input.parsed_query.a == ["1", "2"]
                input.version.ext_authz == "v3"
                input.request.method == "POST"
                input.request.path == "/api/x?a=1&a=2"
                input.request.headers["x-test"] == "one, two"
                input.consumer == "alice"
                input.route == "Route/default/r/0"
                not http.body
                not input.parsed_body
            }
            """;
        var config = _kit.Config(OpaTestKit.Inline(policy));
        using var state = _kit.Plugin.CreateState(config);
        KeyValuePair<string, string>[] headers = [new("X-Test", "one"), new("X-Test", "two")];
        Assert.Equal(0, (await _kit.SendAsync(config, state, "POST", "/api/x", "?a=1&a=2", headers, body: """{"n": 1}""", consumer: "alice")).Result.StatusCode);
        Assert.Equal(403, (await _kit.SendAsync(config, state, "POST", "/api/x", "?a=1&a=2", headers, consumer: "bob")).Result.StatusCode);
    }

    [Fact]
    public async Task The_body_is_in_the_input_only_with_with_body_and_up_to_the_limit()
    {
        const string policy = "package authz\n\nimport rego.v1\n\nallow if {\n  input.parsed_body.amount < 100\n  input.request.body == input.attributes.request.http.body\n  not input.truncated_body\n}";
        var config = _kit.Config(OpaTestKit.Inline(policy, extra: "\"with_body\": true, \"max_body_bytes\": 64"));
        using var state = _kit.Plugin.CreateState(config);
        Assert.Equal(0, (await _kit.SendAsync(config, state, "POST", body: """{"amount": 5}""")).Result.StatusCode);
        Assert.Equal(403, (await _kit.SendAsync(config, state, "POST", body: """{"amount": 500}""")).Result.StatusCode);
        Assert.Equal(403, (await _kit.SendAsync(config, state, "POST", body: "{\"amount\": 5, \"pad\": \"" + new string('x', 100) + "\"}")).Result.StatusCode);

        var without = _kit.Config(OpaTestKit.Inline(policy));
        using var withoutState = _kit.Plugin.CreateState(without);
        Assert.Equal(403, (await _kit.SendAsync(without, withoutState, "POST", body: """{"amount": 5}""")).Result.StatusCode);
    }

    [Fact]
    public async Task An_object_decision_sets_upstream_and_client_headers_and_a_denial_status_and_body()
    {
        const string policy = """
            package envoy.authz

            import rego.v1

            default allow := {"allowed": false, "http_status": 401, "body": "log in first", "headers": {"www-authenticate": "Bearer"}}

            allow := {
                "allowed": true,
                "headers": {"x-user": input.attributes.request.http.headers["x-user"], "x-roles": ["a", "b"]},
                "request_headers_to_remove": ["x-secret"],
                "response_headers_to_add": {"x-decided-by": "opa"},
            } if input.attributes.request.http.headers["x-user"]
            """;
        var config = _kit.Config(OpaTestKit.Inline(policy, "envoy/authz/allow"));
        using var state = _kit.Plugin.CreateState(config);
        var (allowed, http) = await _kit.SendAsync(config, state, headers: new Dictionary<string, string> { ["x-user"] = "alice", ["x-secret"] = "s", ["x-roles"] = "forged" });
        Assert.True(allowed.IsContinue);
        Assert.Equal("alice", http.Request.Headers["x-user"].ToString());
        Assert.Equal("a,b", http.Request.Headers["x-roles"].ToString());
        Assert.False(http.Request.Headers.ContainsKey("x-secret"));
        Assert.Equal("opa", http.Response.Headers["x-decided-by"].ToString());

        var (denied, deniedHttp) = await _kit.SendAsync(config, state);
        Assert.Equal(401, denied.StatusCode);
        Assert.Equal("log in first", denied.Body);
        Assert.Equal("Bearer", deniedHttp.Response.Headers.WWWAuthenticate.ToString());
    }

    [Theory]
    [InlineData("allow if {\n  some i in numbers.range(1, 100000)\n  some j in numbers.range(1, 100000)\n  i + j < 0\n}")]
    [InlineData("allow if regex.match(`^(a+)+$`, concat(\"\", [\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\", \"!\"]))")]
    public async Task A_runaway_policy_is_stopped_by_the_engine_limits_and_answered_per_fail_strategy(string rule)
    {
        var config = _kit.Config(OpaTestKit.Inline("package authz\n\nimport rego.v1\n\n" + rule, extra: "\"timeout\": \"100ms\", \"status_on_error\": 503"));
        using var state = _kit.Plugin.CreateState(config);
        var closed = (await _kit.SendAsync(config, state)).Result;
        var open = (await _kit.SendAsync(config, state, failStrategy: FailStrategy.FailOpen)).Result;
        // A regex the engine does not backtrack on may simply not match: that is a deny, not an error.
        Assert.Contains(closed.StatusCode, new[] { 503, 403 });
        Assert.True(closed.StatusCode == 403 || open.IsContinue);
        Assert.Contains(_kit.Logger.Events, e => e.Id.Id == EventIds.OpaDecisionFailed || closed.StatusCode == 403);
    }

    [Fact]
    public async Task A_time_limit_fails_closed_with_status_on_error_by_default_403()
    {
        var config = _kit.Config(OpaTestKit.Inline("package authz\n\nimport rego.v1\n\nallow if {\n  some i in numbers.range(1, 100000)\n  some j in numbers.range(1, 100000)\n  i + j < 0\n}", extra: "\"timeout\": \"50ms\""));
        using var state = _kit.Plugin.CreateState(config);
        Assert.Equal(403, (await _kit.SendAsync(config, state)).Result.StatusCode);
        var failed = Assert.Single(_kit.Logger.Events, e => e.Id.Id == EventIds.OpaDecisionFailed);
        Assert.Contains("eval_cancel_error", failed.Message, StringComparison.Ordinal);
        Assert.Contains("FAIL_CLOSE", failed.Message, StringComparison.Ordinal);
        Assert.True((await _kit.SendAsync(config, state, failStrategy: FailStrategy.FailOpen)).Result.IsContinue);
    }

    [Fact]
    public async Task Each_decision_is_logged_once_without_the_input_unless_asked_and_masked()
    {
        var config = _kit.Config(OpaTestKit.Inline("package authz\n\nimport rego.v1\n\nallow := true"));
        using var state = _kit.Plugin.CreateState(config);
        await _kit.SendAsync(config, state, headers: new Dictionary<string, string> { ["authorization"] = "Bearer secret-token" }, consumer: "alice");
        var decision = Assert.Single(_kit.Logger.Events, e => e.Id.Id == EventIds.OpaDecision);
        Assert.Contains("authz/allow = allow", decision.Message, StringComparison.Ordinal);
        Assert.Contains("Route/default/r/0", decision.Message, StringComparison.Ordinal);
        Assert.Contains("'alice'", decision.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-token", decision.Message, StringComparison.Ordinal);

        var logged = new OpaTestKit();
        var withInput = logged.Config(OpaTestKit.Inline("package authz\n\nimport rego.v1\n\nallow := true", extra: "\"decision_logs\": {\"log_input\": true, \"mask\": [\"/input/attributes/request/http/headers/authorization\", \"request.headers.authorization\"]}"));
        using var withInputState = logged.Plugin.CreateState(withInput);
        await logged.SendAsync(withInput, withInputState, headers: new Dictionary<string, string> { ["authorization"] = "Bearer secret-token", ["x-visible"] = "yes" });
        var entry = Assert.Single(logged.Logger.Events, e => e.Id.Id == EventIds.OpaDecision);
        Assert.DoesNotContain("secret-token", entry.Message, StringComparison.Ordinal);
        Assert.Contains(OpaTelemetry.Masked, entry.Message, StringComparison.Ordinal);
        Assert.Contains("x-visible", entry.Message, StringComparison.Ordinal);
    }
}
