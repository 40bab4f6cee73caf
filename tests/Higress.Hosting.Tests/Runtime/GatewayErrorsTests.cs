using System.Net;
using Microsoft.AspNetCore.Http;

namespace Higress.Hosting.Tests.Runtime;

/// <summary>The gateway's own error responses tell the client a request id, never the configuration.</summary>
public sealed class GatewayErrorsTests
{
    private static Task<LoopbackGateway> CrossNamespaceGatewayAsync(bool detailed) => LoopbackGateway.StartAsync(
        r => r
            .AddService("svc", 80, ["127.0.0.1"], "other")
            .AddYaml("""
                apiVersion: networking.higress.io/v1alpha1
                kind: Route
                metadata: {name: r}
                spec:
                  gateways: [gw]
                  http:
                  - route: [{destination: {host: svc.other, port: 80}}]
                """),
        new Dictionary<string, string?> { ["Higress:DetailedErrors"] = detailed ? "true" : "false" });

    [Fact]
    public async Task A_backend_without_a_ReferenceGrant_answers_500_with_a_generic_body_and_the_request_id()
    {
        await using var gateway = await CrossNamespaceGatewayAsync(detailed: false);

        using var response = await gateway.Client.GetAsync(new Uri("/x", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var id = Assert.Single(response.Headers.GetValues("x-request-id"));
        Assert.False(string.IsNullOrEmpty(id));
        Assert.Contains("request id: " + id, body, StringComparison.Ordinal);
        Assert.DoesNotContain("ReferenceGrant", body, StringComparison.Ordinal);
        Assert.DoesNotContain("other", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_DetailedErrors_the_reason_is_in_the_body()
    {
        await using var gateway = await CrossNamespaceGatewayAsync(detailed: true);

        using var response = await gateway.Client.GetAsync(new Uri("/x", UriKind.Relative));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("no ReferenceGrant", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_well_formed_incoming_request_id_is_kept_and_a_malformed_one_replaced()
    {
        await using var gateway = await CrossNamespaceGatewayAsync(detailed: false);

        using var good = new HttpRequestMessage(HttpMethod.Get, "/x") { Headers = { { "x-request-id", "req-42.a:b_c" } } };
        using var bad = new HttpRequestMessage(HttpMethod.Get, "/x") { Headers = { { "x-request-id", "<script>" } } };
        using var kept = await gateway.Client.SendAsync(good);
        using var replaced = await gateway.Client.SendAsync(bad);

        Assert.Equal("req-42.a:b_c", Assert.Single(kept.Headers.GetValues("x-request-id")));
        Assert.Contains("request id: req-42.a:b_c", await kept.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotEqual("<script>", Assert.Single(replaced.Headers.GetValues("x-request-id")));
        Assert.DoesNotContain("<script>", await replaced.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_closed_backend_port_answers_502_with_the_generic_body()
    {
        await using var gateway = await LoopbackGateway.StartWithClosedServiceAsync(port => LoopbackGateway.Route(LoopbackGateway.ForwardTo("down", port)));

        using var response = await gateway.Client.GetAsync(new Uri("/x", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var id = Assert.Single(response.Headers.GetValues("x-request-id"));
        Assert.StartsWith("502 Bad Gateway: the upstream could not be reached", body, StringComparison.Ordinal);
        Assert.Contains("request id: " + id, body, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_route_answers_404_with_the_generic_body()
    {
        await using var gateway = await LoopbackGateway.StartAsync(_ => { });

        using var response = await gateway.Client.GetAsync(new Uri("/nothing", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.StartsWith("404 Not Found: no route matches this request", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(response.Headers.GetValues("x-request-id"));
    }

    [Theory]
    [InlineData(Yarp.ReverseProxy.Forwarder.ForwarderError.Request, StatusCodes.Status502BadGateway)]
    [InlineData(Yarp.ReverseProxy.Forwarder.ForwarderError.RequestTimedOut, StatusCodes.Status504GatewayTimeout)]
    [InlineData(Yarp.ReverseProxy.Forwarder.ForwarderError.NoAvailableDestinations, StatusCodes.Status503ServiceUnavailable)]
    [InlineData(Yarp.ReverseProxy.Forwarder.ForwarderError.ResponseHeaders, StatusCodes.Status502BadGateway)]
    [InlineData(Yarp.ReverseProxy.Forwarder.ForwarderError.RequestBodyClient, StatusCodes.Status400BadRequest)]
    public void Forwarding_errors_map_to_statuses(Yarp.ReverseProxy.Forwarder.ForwarderError error, int status)
    {
        Assert.Equal(status, Higress.Hosting.Runtime.GatewayErrors.Classify(error, null, StatusCodes.Status502BadGateway).Status);
    }

    [Fact]
    public void A_request_body_over_the_limit_maps_to_413()
    {
        var tooLarge = new AggregateException(new BadHttpRequestException("too large", StatusCodes.Status413PayloadTooLarge), new IOException("aborted"));

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, Higress.Hosting.Runtime.GatewayErrors.Classify(Yarp.ReverseProxy.Forwarder.ForwarderError.RequestBodyClient, tooLarge, StatusCodes.Status400BadRequest).Status);
    }
}
