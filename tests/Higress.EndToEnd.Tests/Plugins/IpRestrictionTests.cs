using System.Text.Json;

namespace Higress.EndToEnd.Tests.Plugins;

/// <summary>
/// ip-restriction through a real listener to real backends: Higress's documentation examples verbatim, the peer
/// address and a header as sources, and an invalid config failing closed with an error naming the Extension.
/// </summary>
public sealed class IpRestrictionTests(IpRestrictionTests.Fixture fixture) : IClassFixture<IpRestrictionTests.Fixture>
{
    // The configs of Higress's ip-restriction README, unchanged, under spec.config.
    private const string Plugins = """
        apiVersion: networking.higress.io/v1alpha1
        kind: Extension
        metadata: {name: doc-allow}
        spec:
          plugin: ip-restriction
          targetRefs: [{kind: Route, name: docallow}]
          config:
            ip_source_type: origin-source
            allow:
              - 10.0.0.1
              - 192.168.0.0/16
        ---
        apiVersion: networking.higress.io/v1alpha1
        kind: Extension
        metadata: {name: doc-header}
        spec:
          plugin: ip-restriction
          targetRefs: [{kind: Route, name: docheader}]
          config:
            ip_source_type: header
            ip_header_name: x-real-iP
            deny:
              - 10.0.0.1
              - 192.169.0.0/16
        ---
        apiVersion: networking.higress.io/v1alpha1
        kind: Extension
        metadata: {name: loopback}
        spec:
          plugin: ip-restriction
          targetRefs: [{kind: Route, name: loopback}]
          config: {allow: ["127.0.0.0/8", "::1"], status: 401, message: "not from here"}
        ---
        apiVersion: networking.higress.io/v1alpha1
        kind: Extension
        metadata: {name: broken}
        spec:
          plugin: ip-restriction
          targetRefs: [{kind: Route, name: broken}]
          config: {deny: ["10.0.0.0/33"]}
        """;

    private AccessPluginWorld World => fixture.World;

    [Fact]
    public async Task The_allow_example_refuses_a_peer_it_does_not_list_and_forwards_nothing()
    {
        var (status, body, type) = await World.SendAsync("docallow.test", "/anything");

        Assert.Equal(403, status);
        Assert.Equal("Your IP address is blocked.", JsonDocument.Parse(body).RootElement.GetProperty("message").GetString());
        Assert.Equal("text/plain", type);
        Assert.Empty(World.Received("docallow.test"));
    }

    [Fact]
    public async Task An_allow_list_naming_the_peer_lets_it_pass_with_the_chosen_status_for_others()
    {
        var (status, _, _) = await World.SendAsync("loopback.test", "/in", [new("X-Forwarded-For", "203.0.113.7")]);

        Assert.Equal(200, status);
        Assert.Contains(World.Received("loopback.test"), r => r.RawTarget == "/in");
    }

    [Fact]
    public async Task The_header_example_reads_the_first_address_of_its_header_and_refuses_a_missing_one()
    {
        var header = "docheader.test";
        Assert.Equal(403, (await World.SendAsync(header, "/denied", [new("X-Real-IP", "10.0.0.1")])).Status);
        Assert.Equal(403, (await World.SendAsync(header, "/denied-range", [new("x-real-ip", "192.169.4.4, 10.9.9.9")])).Status);
        Assert.Equal(403, (await World.SendAsync(header, "/missing")).Status);
        Assert.Equal(403, (await World.SendAsync(header, "/garbage", [new("X-Real-IP", "not-an-ip")])).Status);
        Assert.Equal(200, (await World.SendAsync(header, "/passes", [new("X-Real-IP", "10.0.0.2, 10.0.0.1")])).Status);

        Assert.Equal(["/passes"], World.Received(header).Select(r => r.RawTarget));
    }

    [Fact]
    public async Task An_invalid_config_is_an_error_naming_the_Extension_and_field_and_its_route_fails_closed()
    {
        var errors = await World.ErrorsAsync();
        Assert.Contains(errors, e => e.StartsWith("Extension default/broken: spec.config.deny[0]: '10.0.0.0/33' is not an IP address or CIDR", StringComparison.Ordinal));

        Assert.Equal(500, (await World.SendAsync("broken.test", "/x")).Status);
        Assert.Empty(World.Received("broken.test"));
    }

    /// <summary>One gateway for the class.</summary>
    public sealed class Fixture : AccessPluginFixture
    {
        /// <inheritdoc/>
        protected override IReadOnlyList<string> Hosts => ["docallow.test", "docheader.test", "loopback.test", "broken.test"];

        /// <inheritdoc/>
        protected override string Plugins => IpRestrictionTests.Plugins;
    }
}
