using Higress.EndToEnd.Tests.Infrastructure;

namespace Higress.EndToEnd.Tests.Security;

/// <summary>
/// One path, one truth (docs/security.md), end to end on raw sockets: for each raw request target, the gateway either
/// answers 400 and forwards nothing, or matches the normalized path and forwards exactly that path (the backend
/// records the raw target it received). A route on <c>/admin</c> answers 403 locally, standing for any policy on that
/// prefix: no spelling of <c>/admin</c> may get past it to the backend.
/// </summary>
public sealed class PathNormalizationTests(PathNormalizationTests.Fixture fixture) : IClassFixture<PathNormalizationTests.Fixture>
{
    public static TheoryData<string, string, int, string?> Cases() => new()
    {
        // mode, raw target, status, the raw target the backend received (null: nothing forwarded)
        { "Reject", "/a/b", 200, "/a/b" },
        { "Reject", "/a/%2e%2e/b", 200, "/b" },
        { "Reject", "/a/%2E%2e/b", 200, "/b" },
        { "Reject", "/a/./b/.", 200, "/a/b/" },
        { "Reject", "/a//b///c", 200, "/a/b/c" },
        { "Reject", "/x/%7e%41%2d", 200, "/x/~A-" },
        { "Reject", "/x/%c3%a9%20%e2%82%ac", 200, "/x/%C3%A9%20%E2%82%AC" },
        { "Reject", "/x/%3b%3F%23", 200, "/x/%3B%3F%23" },
        { "Reject", "/x/%252e%252e/admin", 200, "/x/%252e%252e/admin" },
        { "Reject", "/q/a?x=%2F&y=../..&z=%2e", 200, "/q/a?x=%2F&y=../..&z=%2e" },
        { "Reject", "/admin%3Bx=y", 200, "/admin%3Bx=y" },
        { "Reject", "/a/%2Fb", 400, null },
        { "Reject", "/a/%2fb", 400, null },
        { "Reject", "/a/%5Cb", 400, null },
        { "Reject", "/a\\b", 400, null },
        { "Reject", "/a%00b", 400, null },
        { "Reject", "/a%01b", 400, null },
        { "Reject", "/a%zzb", 400, null },
        { "Reject", "/a%2", 400, null },
        { "Reject", "/x/%ff", 400, null },
        { "Reject", "/admin;x=y", 400, null },
        { "Reject", "/a/..;/admin", 400, null },
        { "Reject", "/admin", 403, null },
        { "Reject", "/%61dmin", 403, null },
        { "Reject", "//admin", 403, null },
        { "Reject", "/./admin", 403, null },
        { "Reject", "/%2e/admin/x", 403, null },
        { "Reject", "/x/../../admin", 403, null },
        { "Reject", "/x/%2e%2E/admin", 403, null },
        { "Keep", "/a/%2Fb", 200, "/a/%2Fb" },
        { "Keep", "/a/%2fb", 200, "/a/%2Fb" },
        { "Keep", "/a/%5cb", 200, "/a/%5Cb" },
        { "Keep", "/a\\b", 200, "/a%5Cb" },
        { "Keep", "/a/%252F", 200, "/a/%252F" },
        { "Keep", "/x/%2F..%2Fadmin", 200, "/x/%2F..%2Fadmin" },
        { "Keep", "/x/%2e%2e/admin", 403, null },
        { "Keep", "/rw/a%2fb%3b%20", 200, "/new/a%2Fb%3B%20" },
        { "Reject", "/rw/./x%20y%3F", 200, "/new/x%20y%3F" },
        { "Decode", "/a%2Fb", 200, "/a/b" },
        { "Decode", "/a%5Cb", 200, "/a/b" },
        { "Decode", "/a\\b", 200, "/a/b" },
        { "Decode", "/x%2F..%2Fadmin", 403, null },
        { "Decode", "/x%5C..%5Cadmin", 403, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task TheBackendReceivesExactlyTheNormalizedPath_OrNothing(string mode, string raw, int status, string? forwarded)
    {
        var id = Guid.NewGuid().ToString("N");
        var response = await RawHttp.SendAsync(fixture.Port(mode), $"GET {raw} HTTP/1.1\r\nHost: www.example.com\r\nX-Case: {id}");

        Assert.True(status == response.Status, $"{mode} {raw}: expected {status}, got {response.Text}");
        var received = fixture.Backend.Received.Where(r => r.Headers.TryGetValue("X-Case", out var value) && value == id).ToList();
        if (forwarded is null)
        {
            Assert.Empty(received);
        }
        else
        {
            Assert.Equal(forwarded, Assert.Single(received).RawTarget);
        }
    }

    [Theory]
    [InlineData("Reject", "/exact/a%20b/%C3%A9", "/exact/a%20b/%C3%A9")]
    [InlineData("Reject", "/exact//a%20b/./%c3%a9", "/exact/a%20b/%C3%A9")]
    [InlineData("Keep", "/keep/a%2fb", "/keep/a%2Fb")]
    public async Task MatchingSeesTheDecodedFormOfWhatTheBackendReceives(string mode, string raw, string forwarded)
    {
        // The rules match exactly "/exact/a b/é" and "/keep/a%2Fb" (Keep leaves an escaped slash as text) and tag the request.
        var id = Guid.NewGuid().ToString("N");
        var response = await RawHttp.SendAsync(fixture.Port(mode), $"GET {raw} HTTP/1.1\r\nHost: www.example.com\r\nX-Case: {id}");

        Assert.Equal(200, response.Status);
        var received = Assert.Single(fixture.Backend.Received, r => r.Headers.TryGetValue("X-Case", out var value) && value == id);
        Assert.Equal(forwarded, received.RawTarget);
        Assert.Equal("exact", received.Headers["x-route"]);
    }

    [Fact]
    public async Task Host_IsLowerCasedWithoutItsTrailingDot_ForMatchingAndTheBackend()
    {
        var id = Guid.NewGuid().ToString("N");
        var response = await RawHttp.SendAsync(fixture.Port("Reject"), $"GET /h HTTP/1.1\r\nHost: API.Example.COM.:{fixture.Port("Reject")}\r\nX-Case: {id}");

        Assert.Equal(200, response.Status);
        var received = Assert.Single(fixture.Backend.Received, r => r.Headers.TryGetValue("X-Case", out var value) && value == id);
        Assert.Equal("api", received.Headers["x-route"]);
        Assert.Equal($"api.example.com:{fixture.Port("Reject")}", received.Headers["Host"]);
    }

    [Theory]
    [InlineData("GET /h HTTP/1.1\r\nHost: api.example.com\r\nHost: www.example.com")]
    [InlineData("GET http://api.example.com/h HTTP/1.1\r\nHost: www.example.com")]
    [InlineData("GET /h HTTP/1.1")]
    public async Task AmbiguousHost_Is400_AndNothingIsForwarded(string head)
    {
        var id = Guid.NewGuid().ToString("N");
        var response = await RawHttp.SendAsync(fixture.Port("Reject"), $"{head}\r\nX-Case: {id}");

        Assert.Equal(400, response.Status);
        Assert.DoesNotContain(fixture.Backend.Received, r => r.Headers.TryGetValue("X-Case", out var value) && value == id);
    }

    [Fact]
    public async Task AbsoluteFormTarget_AgreeingWithHost_IsForwardedInOriginForm()
    {
        var id = Guid.NewGuid().ToString("N");
        var response = await RawHttp.SendAsync(fixture.Port("Reject"), $"GET http://api.example.com/h/../x?q=1 HTTP/1.1\r\nHost: api.example.com\r\nX-Case: {id}");

        Assert.Equal(200, response.Status);
        var received = Assert.Single(fixture.Backend.Received, r => r.Headers.TryGetValue("X-Case", out var value) && value == id);
        Assert.Equal("/x?q=1", received.RawTarget);
        Assert.Equal("api", received.Headers["x-route"]);
    }

    [Fact]
    public async Task OverlongHeaders_Are431FromKestrel_AndNothingIsForwarded()
    {
        var id = Guid.NewGuid().ToString("N");
        var response = await RawHttp.SendAsync(fixture.Port("Reject"), $"GET /a HTTP/1.1\r\nHost: www.example.com\r\nX-Case: {id}\r\nX-Big: {new string('a', 40 * 1024)}");

        Assert.Equal(431, response.Status);
        Assert.DoesNotContain(fixture.Backend.Received, r => r.Headers.TryGetValue("X-Case", out var value) && value == id);
    }

    [Fact]
    public async Task SpoofedForwardedFor_IsReplacedByTheConnectionAddress()
    {
        var id = Guid.NewGuid().ToString("N");
        var response = await RawHttp.SendAsync(fixture.Port("Reject"), $"GET /a HTTP/1.1\r\nHost: www.example.com\r\nX-Forwarded-For: 10.9.9.9\r\nX-Case: {id}");

        Assert.Equal(200, response.Status);
        var received = Assert.Single(fixture.Backend.Received, r => r.Headers.TryGetValue("X-Case", out var value) && value == id);
        Assert.Equal("127.0.0.1", received.Headers["X-Forwarded-For"]);
    }

    /// <summary>One recording backend behind three gateways, one per <c>Higress:Security:EscapedSlashes</c> mode.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private readonly Dictionary<string, (GatewayHost Host, int Port)> _gateways = [];

        /// <summary>The backend every gateway forwards to.</summary>
        public EchoBackend Backend { get; private set; } = null!;

        /// <summary>The listener port of the gateway in <paramref name="mode"/>.</summary>
        public int Port(string mode) => _gateways[mode].Port;

        public async Task InitializeAsync()
        {
            Backend = await EchoBackend.StartAsync("default", "backend");
            foreach (var mode in new[] { "Reject", "Keep", "Decode" })
            {
                var port = FreePorts.Next();
                var host = await GatewayHost.StartAsync(
                    new Dictionary<string, string>
                    {
                        ["gateway.yaml"] = Config(port),
                        ["service.yaml"] = ConformanceWorld.ServiceYaml("default", "backend", Backend.Port, servicePort: 80),
                    },
                    $"--Higress:Security:EscapedSlashes={mode}");
                _gateways[mode] = (host, port);
            }
        }

        public async Task DisposeAsync()
        {
            foreach (var (host, _) in _gateways.Values)
            {
                await host.DisposeAsync();
            }

            await Backend.DisposeAsync();
        }

        private static string Config(int port) => """
            apiVersion: networking.higress.io/v1alpha1
            kind: Gateway
            metadata: {name: gw}
            spec:
              listeners:
              - protocol: HTTP
                port: PORT
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: api}
            spec:
              hosts: [api.example.com]
              http:
              - route: [{destination: {host: backend, port: 80}}]
                headers: {request: {set: {x-route: api}}}
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: www}
            spec:
              hosts: [www.example.com]
              http:
              - name: admin
                match: [{uri: {prefix: /admin}}]
                directResponse: {status: 403, body: {string: "admin is protected"}}
              - name: exact
                match: [{uri: {exact: "/exact/a b/é"}}, {uri: {exact: "/keep/a%2Fb"}}]
                route: [{destination: {host: backend, port: 80}}]
                headers: {request: {set: {x-route: exact}}}
              - name: rewrite
                match: [{uri: {prefix: /rw}}]
                rewrite: {uri: /new}
                route: [{destination: {host: backend, port: 80}}]
              - name: rest
                match: [{uri: {prefix: /}}]
                route: [{destination: {host: backend, port: 80}}]
            """.Replace("PORT", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }
}
