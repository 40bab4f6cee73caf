using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Higress.Tests.Opa;
using Higress.EndToEnd.Tests.Infrastructure;

namespace Higress.EndToEnd.Tests.Plugins;

/// <summary>
/// The <c>opa</c> plugin through a real gateway: an RBAC policy from a watched directory (roles from a JWT claim,
/// permissions from data), object decisions whose headers reach the backend and the client, and a policy change in the
/// middle of a steady load.
/// </summary>
public sealed class OpaTests : IAsyncLifetime
{
    private readonly string _policyDir = Directory.CreateTempSubdirectory("opa-e2e-").FullName;
    private readonly int _port = FreePorts.Next();
    private EchoBackend _backend = null!;
    private GatewayHost _gateway = null!;

    public async Task InitializeAsync()
    {
        WriteAtomically("authz.rego", OpaRbacPolicy.Rego);
        WriteAtomically("data.json", OpaRbacPolicy.Permissions);
        Directory.CreateDirectory(Path.Combine(_policyDir, "headers"));
        WriteHeadersPolicy("v1");
        _backend = await EchoBackend.StartAsync("default", "echo");
        _gateway = await GatewayHost.StartAsync(new Dictionary<string, string>
        {
            ["gateway.yaml"] = GatewayYaml(),
            ["echo.yaml"] = ConformanceWorld.ServiceYaml("default", "echo", _backend.Port, servicePort: 80),
        });
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _backend.DisposeAsync();
        Directory.Delete(_policyDir, recursive: true);
    }

    private string GatewayYaml() => $$"""
        apiVersion: networking.higress.io/v1alpha1
        kind: Gateway
        metadata: {name: gw}
        spec:
          listeners:
          - protocol: HTTP
            port: {{_port}}
        ---
        apiVersion: networking.higress.io/v1alpha1
        kind: Route
        metadata: {name: rbac}
        spec:
          hosts: [rbac.test]
          http:
          - route:
            - destination: {host: echo, port: 80}
        ---
        apiVersion: networking.higress.io/v1alpha1
        kind: Route
        metadata: {name: headers}
        spec:
          hosts: [headers.test]
          http:
          - route:
            - destination: {host: echo, port: 80}
        ---
        apiVersion: networking.higress.io/v1alpha1
        kind: Extension
        metadata: {name: opa-rbac}
        spec:
          plugin: opa
          targetRefs: [{kind: Route, name: rbac}]
          config:
            policy: envoy/authz/allow
            directory: {{JsonSerializer.Serialize(_policyDir)}}
        ---
        apiVersion: networking.higress.io/v1alpha1
        kind: Extension
        metadata: {name: opa-headers}
        spec:
          plugin: opa
          targetRefs: [{kind: Route, name: headers}]
          config:
            policy: headers/decision
            directory: {{JsonSerializer.Serialize(Path.Combine(_policyDir, "headers"))}}
        """;

    private void WriteAtomically(string name, string text)
    {
        var path = Path.Combine(_policyDir, name);
        File.WriteAllText(path + ".tmp", text);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    // The version is in the module and in data: a decision from a half-applied change would say "v2/v1".
    private void WriteHeadersPolicy(string version)
    {
        WriteAtomically("headers/data.json", $$$"""{"headers": {"version": "{{{version}}}"}}""");
        WriteAtomically("headers/policy.rego", $$$"""
            package headers

            import rego.v1

            version := "{{{version}}}"

            decision := {
                "allowed": true,
                "headers": {"x-policy": concat("/", [version, data.headers.version])},
                "response_headers_to_add": {"x-decided": concat("/", [version, data.headers.version])},
            } if input.attributes.request.http.headers["x-user"]

            decision := {"allowed": false, "http_status": 401, "body": "who are you?", "headers": {"www-authenticate": "User"}} if not input.attributes.request.http.headers["x-user"]
            """);
    }

    private static string Jwt(string claims)
    {
        static string Part(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{Part("""{"alg":"HS256","typ":"JWT"}""")}.{Part(claims)}.c2lnbmF0dXJl";
    }

    private Task<GatewayResponse> SendAsync(string host, string path, HttpMethod? method = null, params (string Name, string Value)[] headers) =>
        _gateway.SendAsync(_port, host, path, method, headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)));

    [Theory]
    [InlineData("""{"roles": ["admin"]}""", "DELETE", "/api/users/1", 200)]
    [InlineData("""{"roles": ["reader"]}""", "GET", "/api/books/42", 200)]
    [InlineData("""{"roles": ["reader"]}""", "POST", "/api/books", 403)]
    [InlineData("""{"roles": ["reader"]}""", "GET", "/api/users", 403)]
    [InlineData("""{"roles": ["writer"]}""", "POST", "/api/books", 200)]
    [InlineData("""{"roles": ["reader", "writer"]}""", "POST", "/api/books/7", 200)]
    [InlineData("""{"roles": []}""", "GET", "/api/books", 403)]
    [InlineData(null, "GET", "/api/books", 403)]
    public async Task An_RBAC_policy_with_roles_from_a_JWT_claim_and_permissions_from_data_decides_exactly(string? claims, string method, string path, int status)
    {
        var headers = claims is null ? [] : new[] { ("Authorization", "Bearer " + Jwt(claims)) };
        var response = await SendAsync("rbac.test", path, new HttpMethod(method), headers);
        Assert.Equal(status, response.Code);
        if (status == 200)
        {
            Assert.Equal(path, response.Echo.Path);
        }
    }

    [Fact]
    public async Task A_broken_policy_change_is_reported_in_config_dump_and_the_previous_policy_keeps_deciding()
    {
        WriteAtomically("authz.rego", "package envoy.authz\n\nimport rego.v1\n\nallow if {\n");
        var dump = string.Empty;
        for (var i = 0; i < 200 && !dump.Contains("authz.rego:", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
            dump = (await _gateway.Client.ConfigDumpAsync()).ToJsonString();
        }

        Assert.Matches(@"Extension default/opa-rbac: spec\.config\.directory: the policy failed to load: (?:[^""\\]|\\.)*authz\.rego:\d+:\d+", dump);
        Assert.Contains("PluginRuntimeHealthy", dump, StringComparison.Ordinal);
        Assert.Equal(200, (await SendAsync("rbac.test", "/api/books", HttpMethod.Get, ("Authorization", "Bearer " + Jwt("""{"roles": ["reader"]}""")))).Code);
        Assert.Equal(403, (await SendAsync("rbac.test", "/api/books", HttpMethod.Post, ("Authorization", "Bearer " + Jwt("""{"roles": ["reader"]}""")))).Code);
    }

    [Fact]
    public async Task An_object_decision_sends_headers_to_the_backend_and_the_client_and_a_denial_its_status_body_and_headers()
    {
        var allowed = await SendAsync("headers.test", "/x", HttpMethod.Get, ("x-user", "alice"), ("x-policy", "forged"));
        Assert.Equal(200, allowed.Code);
        Assert.Equal("v1/v1", allowed.Echo.HeaderValue("x-policy"));
        Assert.Equal("v1/v1", allowed.HeaderValue("x-decided"));

        var denied = await SendAsync("headers.test", "/x");
        Assert.Equal(401, denied.Code);
        Assert.Equal("who are you?", denied.Body);
        Assert.Equal("User", denied.HeaderValue("www-authenticate"));
    }

    [Fact]
    public async Task A_policy_change_under_steady_load_fails_no_request_and_every_answer_is_wholly_old_or_new_switching_once()
    {
        const int Clients = 4;
        const int MaxRequestsPerClient = 2000;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var switched = new TaskCompletionSource();
        var answers = new ConcurrentDictionary<int, List<string>>();
        var failures = new ConcurrentQueue<string>();
        var loads = Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            var seen = answers[client] = [];
            for (var i = 0; i < MaxRequestsPerClient && DateTime.UtcNow < deadline; i++)
            {
                var response = await SendAsync("headers.test", "/load", HttpMethod.Get, ("x-user", "load"));
                if (response.Code != 200)
                {
                    failures.Enqueue($"{response.Code} {response.Body}");
                }

                seen.Add(response.Echo.HeaderValue("x-policy") ?? "none");
                // Keep going until the new policy was seen a while after the switch.
                if (switched.Task.IsCompleted && seen.Count(a => a == "v2/v2") >= 20)
                {
                    return;
                }
            }
        })).ToArray();

        // Let the load run on the old policy, then change the module and data together.
        while (answers.Values.Sum(a => a.Count) < Clients * 20 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        WriteHeadersPolicy("v2");
        switched.SetResult();
        await Task.WhenAll(loads);

        Assert.Empty(failures);
        foreach (var (client, seen) in answers)
        {
            Assert.All(seen, a => Assert.Contains(a, new[] { "v1/v1", "v2/v2" }));
            // Sequential requests of one client: the old answer, then the new one, never back.
            var firstNew = seen.IndexOf("v2/v2");
            Assert.True(firstNew > 0, $"client {client} saw the old policy first and then the new one");
            Assert.All(seen.Skip(firstNew), a => Assert.Equal("v2/v2", a));
        }
    }
}
