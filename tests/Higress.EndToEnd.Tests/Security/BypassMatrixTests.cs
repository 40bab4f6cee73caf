using Higress.EndToEnd.Tests.Infrastructure;

namespace Higress.EndToEnd.Tests.Security;

/// <summary>
/// The bypass matrix of issue 9: a route protected by key-auth (<c>/admin</c> on <c>api.example.com</c>, backend
/// "protected") and a catch-all route whose path <c>/files/secret</c> request-block refuses (backend "public"). Every
/// request is written on a raw socket, byte for byte, so that no client library cleans it up first. Both backends record
/// everything they receive; the test asserts that nothing reached them that a policy denies: the protected backend saw
/// only requests with the valid key, and the public backend never saw a path that, read the way a backend reads it
/// (percent-decoded, dot segments resolved, slashes merged, parameters and case ignored), is the blocked one.
/// </summary>
public sealed class BypassMatrixTests : IAsyncLifetime
{
    private const string Key = "2bda943c-ba2b-11ec-ba07-00163e1250b5";
    private EchoBackend _protected = null!;
    private EchoBackend _public = null!;
    private GatewayHost _gateway = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        _protected = await EchoBackend.StartAsync("default", "protected");
        _public = await EchoBackend.StartAsync("default", "public");
        _port = FreePorts.Next();
        var config = $$$"""
            apiVersion: networking.higress.io/v1alpha1
            kind: Gateway
            metadata: {name: gw}
            spec:
              listeners:
              - name: web
                protocol: HTTP
                port: {{{_port}}}
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: admin}
            spec:
              gateways: [gw]
              hosts: [api.example.com]
              http:
              - match: [{uri: {prefix: /admin}}]
                route: [{destination: {host: protected, port: 80}}]
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: public}
            spec:
              gateways: [gw]
              http:
              - match: [{uri: {prefix: /}}]
                route: [{destination: {host: public, port: 80}}]
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Extension
            metadata: {name: admin-key-auth}
            spec:
              plugin: key-auth
              targetRefs: [{kind: Route, name: admin}]
              config:
                consumers:
                - name: consumer1
                  credential: {{{Key}}}
                keys: [x-api-key]
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Extension
            metadata: {name: files-block}
            spec:
              plugin: request-block
              targetRefs: [{kind: Route, name: public}]
              config:
                block_urls: [/files/secret]
                case_sensitive: false
            """;
        _gateway = await GatewayHost.StartAsync(new Dictionary<string, string>
        {
            ["gateway.yaml"] = config,
            ["services.yaml"] = ConformanceWorld.ServiceYaml("default", "protected", _protected.Port, servicePort: 80)
                + ConformanceWorld.ServiceYaml("default", "public", _public.Port, servicePort: 80),
        });
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _protected.DisposeAsync();
        await _public.DisposeAsync();
    }

    public static TheoryData<string, string> Attacks => new()
    {
        // name, request line + headers (without the final blank line); {key} is replaced by a wrong key
        { "plain", "GET /admin HTTP/1.1\r\nHost: api.example.com" },
        { "encoded slash", "GET /admin%2Fusers HTTP/1.1\r\nHost: api.example.com" },
        { "encoded slash lower", "GET /x%2f..%2fadmin HTTP/1.1\r\nHost: api.example.com" },
        { "encoded dots", "GET /x/%2e%2e/admin HTTP/1.1\r\nHost: api.example.com" },
        { "encoded dots mixed case", "GET /x/%2E%2e/admin HTTP/1.1\r\nHost: api.example.com" },
        { "dot dot", "GET /x/../admin HTTP/1.1\r\nHost: api.example.com" },
        { "double slash", "GET //admin HTTP/1.1\r\nHost: api.example.com" },
        { "dot segment", "GET /./admin HTTP/1.1\r\nHost: api.example.com" },
        { "backslash", "GET /x\\..\\admin HTTP/1.1\r\nHost: api.example.com" },
        { "encoded backslash", "GET /x%5C..%5Cadmin HTTP/1.1\r\nHost: api.example.com" },
        { "encoded letter", "GET /%61dmin HTTP/1.1\r\nHost: api.example.com" },
        { "mixed case path", "GET /ADMIN HTTP/1.1\r\nHost: api.example.com" },
        { "params", "GET /admin;x=y HTTP/1.1\r\nHost: api.example.com" },
        { "params before dot dot", "GET /x;/../admin HTTP/1.1\r\nHost: api.example.com" },
        { "nul", "GET /admin%00 HTTP/1.1\r\nHost: api.example.com" },
        { "nul prefix", "GET /x%00/../admin HTTP/1.1\r\nHost: api.example.com" },
        { "double encoding", "GET /x/%252e%252e/admin HTTP/1.1\r\nHost: api.example.com" },
        { "host trailing dot", "GET /admin HTTP/1.1\r\nHost: api.example.com." },
        { "host mixed case", "GET /admin HTTP/1.1\r\nHost: API.Example.COM" },
        { "host with port", "GET /admin HTTP/1.1\r\nHost: api.example.com:80" },
        { "duplicate host", "GET /admin HTTP/1.1\r\nHost: other.example.com\r\nHost: api.example.com" },
        { "absolute form", "GET http://api.example.com/admin HTTP/1.1\r\nHost: other.example.com" },
        { "absolute form other host", "GET http://other.example.com/admin HTTP/1.1\r\nHost: api.example.com" },
        { "wrong key", "GET /admin HTTP/1.1\r\nHost: api.example.com\r\nx-api-key: {key}" },
        { "key in other header", "GET /admin HTTP/1.1\r\nHost: api.example.com\r\nx-api-keys: " + Key },
        { "spoofed consumer", "GET /admin HTTP/1.1\r\nHost: api.example.com\r\nX-Mse-Consumer: consumer1" },
        { "spoofed forwarded for", "GET /admin HTTP/1.1\r\nHost: api.example.com\r\nX-Forwarded-For: 127.0.0.1\r\nX-Real-IP: 127.0.0.1" },
        { "overlong header", "GET /admin HTTP/1.1\r\nHost: api.example.com\r\nx-filler: " + new string('a', 40_000) },
        { "overlong header with key", "GET /admin HTTP/1.1\r\nHost: api.example.com\r\nx-api-key: " + Key + "\r\nx-filler: " + new string('a', 40_000) },
        { "blocked", "GET /files/secret HTTP/1.1\r\nHost: api.example.com" },
        { "blocked encoded slash", "GET /files%2Fsecret HTTP/1.1\r\nHost: api.example.com" },
        { "blocked encoded dots", "GET /files/x/%2e%2e/secret HTTP/1.1\r\nHost: api.example.com" },
        { "blocked double slash", "GET /files//secret HTTP/1.1\r\nHost: api.example.com" },
        { "blocked dot segment", "GET /files/./secret HTTP/1.1\r\nHost: api.example.com" },
        { "blocked backslash", "GET /files\\secret HTTP/1.1\r\nHost: api.example.com" },
        { "blocked encoded backslash", "GET /files%5csecret HTTP/1.1\r\nHost: api.example.com" },
        { "blocked mixed case", "GET /Files/SECRET HTTP/1.1\r\nHost: api.example.com" },
        { "blocked encoded letter", "GET /files/%73ecret HTTP/1.1\r\nHost: api.example.com" },
        { "blocked params", "GET /files/secret;v=1 HTTP/1.1\r\nHost: api.example.com" },
        { "blocked params in segment", "GET /files;x/secret HTTP/1.1\r\nHost: api.example.com" },
        { "blocked nul", "GET /files/secret%00.txt HTTP/1.1\r\nHost: api.example.com" },
        { "blocked double encoding", "GET /files/%2573ecret HTTP/1.1\r\nHost: api.example.com" },
        { "blocked host trailing dot", "GET /files/secret HTTP/1.1\r\nHost: public.example.com." },
        { "blocked duplicate host", "GET /files/secret HTTP/1.1\r\nHost: a.example.com\r\nHost: b.example.com" },
        { "blocked spoofed forwarded for", "GET /files/secret HTTP/1.1\r\nHost: api.example.com\r\nX-Forwarded-For: 10.0.0.1" },
        { "blocked absolute form", "GET http://api.example.com/files/secret HTTP/1.1\r\nHost: api.example.com" },
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task A_request_a_policy_denies_never_reaches_a_backend(string name, string request)
    {
        var status = (await RawHttp.SendAsync(_port, request.Replace("{key}", "not-the-key", StringComparison.Ordinal))).Status;

        Assert.True(status is >= 400 and < 500 || status == 200, $"{name}: unexpected status {status}");
        AssertNothingDeniedReachedABackend(name);
    }

    [Fact]
    public async Task The_policies_are_in_force_and_allowed_requests_still_pass()
    {
        Assert.Equal(200, (await RawHttp.SendAsync(_port, "GET /admin HTTP/1.1\r\nHost: api.example.com\r\nx-api-key: " + Key)).Status);
        Assert.Equal(200, (await RawHttp.SendAsync(_port, "GET /admin/x/../users HTTP/1.1\r\nHost: API.example.com.\r\nx-api-key: " + Key)).Status);
        Assert.Equal(401, (await RawHttp.SendAsync(_port, "GET /admin HTTP/1.1\r\nHost: api.example.com")).Status);
        Assert.Equal(403, (await RawHttp.SendAsync(_port, "GET /files/secret HTTP/1.1\r\nHost: api.example.com")).Status);
        Assert.Equal(200, (await RawHttp.SendAsync(_port, "GET /files/public HTTP/1.1\r\nHost: api.example.com")).Status);

        var admitted = _protected.Received.Select(r => r.RawTarget).ToArray();
        Assert.Equal(["/admin", "/admin/users"], admitted);
        Assert.All(_protected.Received, r => Assert.Equal("consumer1", r.Headers["X-Mse-Consumer"]));
        Assert.Contains(_public.Received, r => r.RawTarget == "/files/public");
        AssertNothingDeniedReachedABackend("allowed requests");
    }

    private void AssertNothingDeniedReachedABackend(string attack)
    {
        foreach (var received in _protected.Received)
        {
            Assert.True(received.Headers.TryGetValue("x-api-key", out var key) && key == Key, $"{attack}: the protected backend received {received.RawTarget} without the key");
            Assert.Equal("consumer1", received.Headers["X-Mse-Consumer"]);
        }

        foreach (var received in _public.Received)
        {
            var path = AsABackendReadsIt(received.RawTarget);
            Assert.False(path.Contains("/files/secret", StringComparison.Ordinal), $"{attack}: the public backend received {received.RawTarget} (read as {path})");
            Assert.False(path.StartsWith("/admin", StringComparison.Ordinal) && received.Headers.ContainsKey("x-api-key"), $"{attack}: {received.RawTarget}");
            Assert.False(received.Headers.ContainsKey("X-Mse-Consumer"), $"{attack}: a consumer header reached the public backend");
        }
    }

    /// <summary>
    /// The most lenient reading a backend might make of a request target: percent-decoded (once, as HTTP defines it: a
    /// backend that decodes twice has its own bug, and the gateway forwards <c>%25</c> as <c>%25</c>), backslashes as
    /// slashes, parameters and NULs dropped, slashes merged, dot segments resolved, lower case.
    /// </summary>
    internal static string AsABackendReadsIt(string rawTarget)
    {
        var path = rawTarget.Split('?')[0];
        path = Uri.UnescapeDataString(path);

        path = path.Replace('\\', '/').Replace("\0", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        var segments = new List<string>();
        foreach (var raw in path.Split('/'))
        {
            var segment = raw.Split(';')[0];
            if (segment is "" or ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }

                continue;
            }

            segments.Add(segment);
        }

        return "/" + string.Join('/', segments);
    }
}
