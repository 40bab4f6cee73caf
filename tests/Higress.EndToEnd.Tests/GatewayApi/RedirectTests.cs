using System.Globalization;
using Higress.EndToEnd.Tests.Infrastructure;

namespace Higress.EndToEnd.Tests.GatewayApi;

/// <summary>
/// HTTPRouteRedirectScheme, HTTPRouteRedirectHostAndStatus, HTTPRouteRedirectPort, HTTPRouteRedirectPath and
/// HTTPRouteRedirectPortAndScheme (default-port rules). The listener port is a random one (never 80), so a redirect
/// without scheme and port keeps it, and a redirect to http:80 or https:443 leaves the port out.
/// </summary>
public sealed class RedirectTests(RedirectTests.Fixture fixture) : IClassFixture<RedirectTests.Fixture>
{
    private const string Host = "redirect.example.com";

    private ConformanceWorld World => fixture.World;

    private string P => World.Port("same-namespace").ToString(CultureInfo.InvariantCulture);

    public static TheoryData<string, int, string> Cases => new()
    {
        // scheme
        { "/scheme", 302, "https://redirect.example.com/scheme" },
        { "/scheme-and-host", 302, "https://example.org/scheme-and-host" },
        { "/scheme-and-status", 301, "https://redirect.example.com/scheme-and-status" },
        { "/scheme-and-host-and-status", 302, "https://example.org/scheme-and-host-and-status" },
        // hostname and status
        { "/hostname-redirect", 302, "http://example.org:{P}/hostname-redirect" },
        { "/host-and-status", 301, "http://example.org:{P}/host-and-status" },
        { "/status-only", 302, "http://redirect.example.com:{P}/status-only" },
        // port
        { "/port", 302, "http://redirect.example.com:8083/port" },
        { "/port-and-host", 302, "http://example.org:8083/port-and-host" },
        { "/port-and-status", 301, "http://redirect.example.com:8083/port-and-status" },
        { "/port-and-host-and-status", 302, "http://example.org:8083/port-and-host-and-status" },
        // default-port rules
        { "/scheme-nil-and-port-nil", 302, "http://example.org:{P}/scheme-nil-and-port-nil" },
        { "/scheme-nil-and-port-80", 302, "http://example.org/scheme-nil-and-port-80" },
        { "/scheme-nil-and-port-8080", 302, "http://example.org:8080/scheme-nil-and-port-8080" },
        { "/scheme-http-and-port-nil", 302, "http://example.org/scheme-http-and-port-nil" },
        { "/scheme-http-and-port-80", 302, "http://example.org/scheme-http-and-port-80" },
        { "/scheme-http-and-port-8080", 302, "http://example.org:8080/scheme-http-and-port-8080" },
        { "/scheme-https-and-port-nil", 302, "https://example.org/scheme-https-and-port-nil" },
        { "/scheme-https-and-port-443", 302, "https://example.org/scheme-https-and-port-443" },
        { "/scheme-https-and-port-8443", 302, "https://example.org:8443/scheme-https-and-port-8443" },
        // path
        { "/original-prefix/lemon", 302, "http://redirect.example.com:{P}/replacement-prefix/lemon" },
        { "/original-prefix", 302, "http://redirect.example.com:{P}/replacement-prefix" },
        { "/full/path/original", 302, "http://redirect.example.com:{P}/full-path-replacement" },
        { "/full/path/original/deeper", 302, "http://redirect.example.com:{P}/full-path-replacement" },
        { "/path-and-host/x", 302, "http://example.org:{P}/replacement-prefix/x" },
        { "/path-and-status", 301, "http://redirect.example.com:{P}/replacement-prefix" },
        { "/full-path-and-host", 302, "http://example.org:{P}/replacement-full" },
        { "/full-path-and-status", 301, "http://redirect.example.com:{P}/replacement-full" },
        { "/strip-prefix/x/y", 302, "http://redirect.example.com:{P}/x/y" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Redirect(string path, int status, string location)
    {
        var response = await World.ExpectStatusAsync("same-namespace", Host, path, status);
        Assert.Equal(location.Replace("{P}", P, StringComparison.Ordinal), response.Location);
    }

    public static TheoryData<string, string> AddressHostCases => new()
    {
        { "/scheme", "https://127.0.0.1/scheme" },
        { "/port", "http://127.0.0.1:8083/port" },
        { "/hostname-redirect", "http://example.org:{P}/hostname-redirect" },
        { "/original-prefix/lemon", "http://127.0.0.1:{P}/replacement-prefix/lemon" },
        { "/original-prefix/lemon?fruit=yes&n=1", "http://127.0.0.1:{P}/replacement-prefix/lemon?fruit=yes&n=1" },
    };

    /// <summary>A client that addresses the gateway by IP sends <c>Host: 127.0.0.1:port</c>; the port in it is not the redirect's.</summary>
    [Theory]
    [MemberData(nameof(AddressHostCases))]
    public async Task Redirect_HostHeaderWithPort(string path, string location)
    {
        var response = await World.ExpectStatusAsync("same-namespace", "127.0.0.1:" + P, path, 302);
        Assert.Equal(location.Replace("{P}", P, StringComparison.Ordinal), response.Location);
    }

    [Fact]
    public async Task Redirect_NeverReachesABackend()
    {
        var response = await World.ExpectStatusAsync("same-namespace", Host, "/scheme", 302);
        Assert.DoesNotContain("infra-backend", response.Body, StringComparison.Ordinal);
    }

    public sealed class Fixture : WorldFixture
    {
        protected override string Scenario
        {
            get
            {
                var rules = new (string Path, string Redirect)[]
                {
                    ("/scheme", "scheme: https"),
                    ("/scheme-and-host", "scheme: https, hostname: example.org"),
                    ("/scheme-and-status", "scheme: https, statusCode: 301"),
                    ("/scheme-and-host-and-status", "scheme: https, hostname: example.org, statusCode: 302"),
                    ("/hostname-redirect", "hostname: example.org"),
                    ("/host-and-status", "hostname: example.org, statusCode: 301"),
                    ("/status-only", "statusCode: 302"),
                    ("/port", "port: 8083"),
                    ("/port-and-host", "hostname: example.org, port: 8083"),
                    ("/port-and-status", "port: 8083, statusCode: 301"),
                    ("/port-and-host-and-status", "hostname: example.org, port: 8083, statusCode: 302"),
                    ("/scheme-nil-and-port-nil", "hostname: example.org"),
                    ("/scheme-nil-and-port-80", "hostname: example.org, port: 80"),
                    ("/scheme-nil-and-port-8080", "hostname: example.org, port: 8080"),
                    ("/scheme-http-and-port-nil", "scheme: http, hostname: example.org"),
                    ("/scheme-http-and-port-80", "scheme: http, hostname: example.org, port: 80"),
                    ("/scheme-http-and-port-8080", "scheme: http, hostname: example.org, port: 8080"),
                    ("/scheme-https-and-port-nil", "scheme: https, hostname: example.org"),
                    ("/scheme-https-and-port-443", "scheme: https, hostname: example.org, port: 443"),
                    ("/scheme-https-and-port-8443", "scheme: https, hostname: example.org, port: 8443"),
                    ("/original-prefix", "path: {type: ReplacePrefixMatch, replacePrefixMatch: /replacement-prefix}"),
                    ("/full/path/original", "path: {type: ReplaceFullPath, replaceFullPath: /full-path-replacement}"),
                    ("/path-and-host", "hostname: example.org, path: {type: ReplacePrefixMatch, replacePrefixMatch: /replacement-prefix}"),
                    ("/path-and-status", "statusCode: 301, path: {type: ReplacePrefixMatch, replacePrefixMatch: /replacement-prefix}"),
                    ("/full-path-and-host", "hostname: example.org, path: {type: ReplaceFullPath, replaceFullPath: /replacement-full}"),
                    ("/full-path-and-status", "statusCode: 301, path: {type: ReplaceFullPath, replaceFullPath: /replacement-full}"),
                    ("/strip-prefix", "path: {type: ReplacePrefixMatch, replacePrefixMatch: /}"),
                };
                var yaml = """
                    apiVersion: gateway.networking.k8s.io/v1
                    kind: HTTPRoute
                    metadata:
                      name: redirects
                      namespace: gateway-conformance-infra
                    spec:
                      parentRefs: [{name: same-namespace}]
                      rules:

                    """;
                foreach (var (path, redirect) in rules)
                {
                    yaml += "  - matches: [{path: {type: PathPrefix, value: " + path + "}}]\n"
                        + "    filters: [{type: RequestRedirect, requestRedirect: {" + redirect + "}}]\n";
                }

                return yaml;
            }
        }
    }
}
