using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Higress.Hosting.Tests.Runtime;

/// <summary>Sidecar mode (<c>Higress:Sidecar</c>): the inbound port in front of an app, the outbound port to services by name.</summary>
public sealed class SidecarModeTests
{
    private const string KeyAuthOnAdmin = """
        apiVersion: networking.higress.io/v1alpha1
        kind: Route
        metadata: {name: admin}
        spec:
          http:
          - match: [{uri: {prefix: /admin}}]
            plugins: [{name: key-auth, config: {consumers: [{name: ops, credential: k-ops}], keys: [x-api-key]}}]
            headers: {request: {set: {x-inbound: checked}}}
        """;

    private const string OrdersRoute = """
        apiVersion: networking.higress.io/v1alpha1
        kind: Route
        metadata: {name: orders}
        spec:
          hosts: [orders]
          http:
          - route: [{destination: {host: orders, port: 80}}]
            headers: {request: {set: {x-mesh: orders-route}}}
        """;

    private static async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> GetAsync(HttpClient client, string url, string? apiKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, UriKind.RelativeOrAbsolute));
        if (apiKey is not null)
        {
            request.Headers.Add("x-api-key", apiKey);
        }

        var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    [Fact]
    public async Task Inbound_runs_the_route_plugin_before_the_app_and_a_request_matching_no_route_still_reaches_the_app()
    {
        await using var mesh = await SidecarMesh.StartAsync(KeyAuthOnAdmin);

        var refused = await GetAsync(mesh.Inbound, "/admin/stats");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Equal(0, mesh.App.Requests);

        var allowed = await GetAsync(mesh.Inbound, "/admin/stats", apiKey: "k-ops");
        Assert.Equal(HttpStatusCode.OK, allowed.Status);
        Assert.Equal("app GET /admin/stats", allowed.Body);
        Assert.Equal("checked", allowed.Response.Headers.GetValues("echo-x-inbound").Single());

        var unmatched = await GetAsync(mesh.Inbound, "/public");
        Assert.Equal(HttpStatusCode.OK, unmatched.Status);
        Assert.Equal("app GET /public", unmatched.Body);
        Assert.Equal(2, mesh.App.Requests);
    }

    [Theory]
    [InlineData("http://orders/a")]
    [InlineData("http://orders.default/a")]
    [InlineData("http://orders.default.svc.cluster.local/a")]
    [InlineData("http://orders:80/a")]
    public async Task Outbound_as_an_http_proxy_reaches_a_service_by_name(string url)
    {
        await using var mesh = await SidecarMesh.StartAsync();

        var (status, body, _) = await GetAsync(mesh.Outbound, url);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("orders GET /a", body);
    }

    [Fact]
    public async Task Outbound_takes_origin_form_requests_whose_host_names_the_service()
    {
        await using var mesh = await SidecarMesh.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{mesh.OutboundPort}") };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/b", UriKind.Relative));
        request.Headers.Host = "orders.default.svc.cluster.local";

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("orders GET /b", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_route_naming_the_service_applies_its_header_edit_under_every_name_of_the_service()
    {
        await using var mesh = await SidecarMesh.StartAsync(OrdersRoute);

        foreach (var url in new[] { "http://orders/c", "http://orders.default.svc.cluster.local/c" })
        {
            var (status, body, response) = await GetAsync(mesh.Outbound, url);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("orders GET /c", body);
            Assert.Equal("orders-route", response.Headers.GetValues("echo-x-mesh").Single());
        }
    }

    [Fact]
    public async Task The_apps_HttpClient_reaches_a_service_through_the_outbound_port_with_the_routes_retries_applied()
    {
        const string retrying = """
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: orders}
            spec:
              hosts: [orders]
              http:
              - route: [{destination: {host: orders, port: 80}}]
                retries: {attempts: 2, retryOn: 5xx}
            """;
        await using var plain = await SidecarMesh.StartAsync();
        await using var mesh = await SidecarMesh.StartAsync(retrying);

        // Without the Route, the service's first failure reaches the app; with it, the sidecar retries past it.
        Assert.Equal("200 orders GET /fail-once/a", (await GetAsync(mesh.Inbound, "/call/orders/fail-once/a")).Body);
        Assert.Equal(2, mesh.Orders.Requests);
        Assert.Equal("503 orders failed once", (await GetAsync(plain.Inbound, "/call/orders/fail-once/a")).Body);
        Assert.Equal(1, plain.Orders.Requests);
    }

    [Fact]
    public async Task An_unknown_service_gets_404_from_the_sidecar()
    {
        await using var mesh = await SidecarMesh.StartAsync();

        var (status, _, _) = await GetAsync(mesh.Outbound, "http://billing/");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(0, mesh.Orders.Requests);
    }

    [Fact]
    public async Task The_app_reaches_the_second_service_through_its_sidecar_from_a_request_on_the_inbound_port()
    {
        await using var mesh = await SidecarMesh.StartAsync(OrdersRoute);

        var (status, body, _) = await GetAsync(mesh.Inbound, "/call/orders/d");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("200 orders GET /d", body);
        Assert.Equal(1, mesh.Orders.Requests);
    }

    [Fact]
    public async Task Connect_is_refused_on_the_outbound_port()
    {
        await using var mesh = await SidecarMesh.StartAsync();
        using var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, mesh.OutboundPort);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("CONNECT orders:443 HTTP/1.1\r\nHost: orders:443\r\n\r\n"));

        var buffer = new byte[256];
        var read = await stream.ReadAsync(buffer);
        var statusLine = Encoding.ASCII.GetString(buffer, 0, read).Split("\r\n")[0];

        Assert.Contains(statusLine.Split(' ')[1], new[] { "405", "501" });
        Assert.Equal(0, mesh.Orders.Requests);
    }
}
