using System.Net;
using System.Text.Json.Nodes;

namespace Higress.Hosting.Tests.Admin;

/// <summary>The admin port's Host rule (DNS rebinding), its bearer token, and the probes that stay open.</summary>
public sealed class AdminEndpointsTests
{
    private const string Yaml = """
        apiVersion: networking.higress.io/v1alpha1
        kind: Route
        metadata: {name: r}
        spec:
          http:
          - directResponse: {status: 200, body: {string: ok}}
        """;

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:15021")]
    [InlineData("localhost.evil.example")]
    public async Task A_Host_that_is_not_an_IP_localhost_or_allowed_gets_403(string host)
    {
        await using var gateway = await AdminHost.StartAsync(Yaml);

        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.GetAsync("/config_dump", host)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.GetAsync("/readyz", host)).Status);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("LOCALHOST:1234")]
    [InlineData("127.0.0.1:1234")]
    [InlineData("[::1]:1234")]
    [InlineData("10.1.2.3")]
    [InlineData("gateway.internal")]
    public async Task IP_addresses_localhost_and_AllowedHosts_are_served(string host)
    {
        await using var gateway = await AdminHost.StartAsync(Yaml, new Dictionary<string, string?> { ["Higress:Admin:AllowedHosts:0"] = "gateway.internal" });

        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync("/config_dump", host)).Status);
    }

    [Fact]
    public async Task With_a_token_only_the_probes_answer_without_it()
    {
        await using var gateway = await AdminHost.StartAsync(Yaml, new Dictionary<string, string?> { ["Higress:Admin:Token"] = "s3cret-token" });

        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync("/healthz")).Status);
        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync("/readyz")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.GetAsync("/config_dump")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.GetAsync("/metrics")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.GetAsync("/config_dump", authorization: "Bearer s3cret-tokeN")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.GetAsync("/config_dump", authorization: "Basic s3cret-token")).Status);

        var (status, body) = await gateway.GetAsync("/config_dump", authorization: "Bearer s3cret-token");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotNull(JsonNode.Parse(body)!["plan"]);
        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync("/metrics", authorization: "bearer s3cret-token")).Status);
    }

    [Fact]
    public async Task Without_a_token_every_endpoint_answers()
    {
        await using var gateway = await AdminHost.StartAsync(Yaml);

        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync("/config_dump")).Status);
        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync("/metrics")).Status);
    }
}
