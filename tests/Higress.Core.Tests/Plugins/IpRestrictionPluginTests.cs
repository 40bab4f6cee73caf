using System.Net;
using System.Text.Json;
using Higress.Core.Plugins;
using Higress.Core.Plugins.BuiltIn.IpRestriction;
using Microsoft.AspNetCore.Http;
using static Higress.Core.Tests.Plugins.PluginTestData;

namespace Higress.Core.Tests.Plugins;

public class IpRestrictionPluginTests
{
    private static readonly IpRestrictionPlugin Plugin = new();

    private static IpRestrictionConfig Valid(string json) => ValidConfig(Plugin, json);

    private static async Task<PluginResult> SendAsync(IpRestrictionConfig config, string? peer, string? header = null, string headerName = "X-Forwarded-For")
    {
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = peer is null ? null : IPAddress.Parse(peer);
        if (header is not null)
        {
            http.Request.Headers[headerName] = header;
        }

        return await Plugin.OnRequestAsync(new PluginContext(http, Route()), config);
    }

    [Fact]
    public void Higress_documentation_examples_load_unchanged_with_Higress_defaults()
    {
        // The two examples of Higress's ip-restriction README, as JSON.
        var allow = Valid("""{"ip_source_type": "origin-source", "allow": ["10.0.0.1", "192.168.0.0/16"]}""");
        Assert.False(allow.FromHeader);
        Assert.True(allow.IsAllowList);
        Assert.Equal(403, allow.Status);
        Assert.Equal("Your IP address is blocked.", allow.Message);

        var deny = Valid("""{"ip_source_type": "header", "ip_header_name": "x-real-iP", "deny": ["10.0.0.1", "192.169.0.0/16"]}""");
        Assert.True(deny.FromHeader);
        Assert.False(deny.IsAllowList);
        Assert.Equal("x-real-iP", deny.IpHeaderName);

        Assert.Equal("x-forwarded-for", Valid("""{"ip_source_type": "header", "deny": ["10.0.0.1"]}""").IpHeaderName);
        Assert.Equal("origin-source", Valid("""{"deny": ["10.0.0.1"]}""").IpSourceType);
    }

    [Theory]
    [InlineData("""{"allow": ["10.0.0.1"], "deny": ["10.0.0.2"]}""", "deny", "cannot be set at the same time")]
    [InlineData("""{}""", "allow", "both empty")]
    [InlineData("""{"allow": ["10.0.0.0/33"]}""", "allow[0]", "not an IP address or CIDR")]
    [InlineData("""{"deny": ["10.0.0.1", "not-an-ip"]}""", "deny[1]", "not an IP address or CIDR")]
    [InlineData("""{"deny": ["127.1"]}""", "deny[0]", "not an IP address or CIDR")]
    [InlineData("""{"deny": ["2001:db8::/129"]}""", "deny[0]", "not an IP address or CIDR")]
    [InlineData("""{"deny": ["10.0.0.1"], "ip_source_type": "headers"}""", "ip_source_type", "not a source type")]
    [InlineData("""{"deny": ["10.0.0.1"], "status": 42}""", "status", "")]
    [InlineData("""{"deny": ["10.0.0.1"], "status": "forbidden"}""", "status", "")]
    [InlineData("""{"deny": ["10.0.0.1"], "alow": ["10.0.0.2"]}""", "alow", "")]
    public void Bad_values_are_errors_naming_the_field_and_the_fix(string json, string field, string message) =>
        AssertSingleError(Plugin, json, field, message);

    [Theory]
    [InlineData("10.0.0.1", false)]
    [InlineData("192.168.3.4", false)]
    [InlineData("::ffff:192.168.3.4", false)]
    [InlineData("2001:db8::17", false)]
    [InlineData("10.0.0.2", true)]
    [InlineData("192.169.0.1", true)]
    [InlineData("2001:db9::1", true)]
    public async Task An_allow_list_lets_only_listed_addresses_pass_IPv4_mapped_peers_matching_IPv4_rules(string peer, bool refused)
    {
        var config = Valid("""{"allow": ["10.0.0.1", "192.168.0.0/16", "2001:db8::/32"]}""");
        var result = await SendAsync(config, peer);
        Assert.Equal(refused ? 403 : 0, result.StatusCode);
    }

    [Fact]
    public async Task A_deny_list_refuses_listed_addresses_with_the_status_and_a_JSON_message()
    {
        var config = Valid("""{"deny": ["10.0.0.0/8", "::ffff:172.16.0.0/108"], "status": 451, "message": "go \"away\""}""");

        var refused = await SendAsync(config, "10.1.2.3");
        Assert.Equal(451, refused.StatusCode);
        Assert.Equal("go \"away\"", JsonDocument.Parse(refused.Body!).RootElement.GetProperty("message").GetString());

        // A mapped rule is the IPv4 rule it stands for.
        Assert.Equal(451, (await SendAsync(config, "172.16.9.9")).StatusCode);
        Assert.True((await SendAsync(config, "11.0.0.1")).IsContinue);
        Assert.True((await SendAsync(config, "::1")).IsContinue);
    }

    [Theory]
    [InlineData("10.0.0.1", false)]
    [InlineData(" 10.0.0.1 , 203.0.113.9", false)]
    [InlineData("10.0.0.1:8080", false)]
    [InlineData("[2001:db8::1]:443, 10.9.9.9", false)]
    [InlineData("203.0.113.9, 10.0.0.1", true)]
    [InlineData("unknown", true)]
    [InlineData("", true)]
    [InlineData("127.1", true)]
    [InlineData(null, true)]
    public async Task From_a_header_the_first_address_counts_and_one_that_does_not_parse_is_refused(string? header, bool refused)
    {
        var config = Valid("""{"ip_source_type": "header", "allow": ["10.0.0.0/8", "2001:db8::/32"]}""");

        // The peer is allowed, but with ip_source_type header only the header counts.
        var result = await SendAsync(config, "10.0.0.1", header);
        Assert.Equal(refused ? 403 : 0, result.StatusCode);
    }

    [Fact]
    public async Task With_a_deny_list_too_a_missing_or_unreadable_address_is_refused()
    {
        var config = Valid("""{"ip_source_type": "header", "ip_header_name": "x-real-ip", "deny": ["10.0.0.1"]}""");
        Assert.Equal(403, (await SendAsync(config, "192.0.2.1", "garbage", "X-Real-IP")).StatusCode);
        Assert.Equal(403, (await SendAsync(config, "192.0.2.1")).StatusCode);
        Assert.True((await SendAsync(config, "10.0.0.1", "192.0.2.1", "X-Real-IP")).IsContinue);
        Assert.Equal(403, (await SendAsync(Valid("""{"deny": ["10.0.0.1"]}"""), peer: null)).StatusCode);
    }

    [Theory]
    [InlineData("10.1.2.3/8", "10.0.0.0/8")]
    [InlineData("2001:db8::1/32", "2001:db8::/32")]
    [InlineData("::ffff:10.0.0.0/104", "10.0.0.0/8")]
    [InlineData("192.168.0.7", "192.168.0.7/32")]
    public void Networks_ignore_host_bits_as_Higress_does(string rule, string network)
    {
        Assert.True(IpRestrictionPlugin.TryParseNetwork(rule, out var parsed));
        Assert.Equal(IPNetwork.Parse(network), parsed);
    }
}
