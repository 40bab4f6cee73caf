using System.Net;
using Higress.Hosting.Runtime;

namespace Higress.Hosting.Tests.Runtime;

/// <summary>Loop protection: a route whose backend is the gateway's own listener ends with 508 after a bounded number of hops.</summary>
public sealed class LoopProtectionTests
{
    [Fact]
    public async Task A_route_to_the_gateway_itself_ends_with_508_after_MaxHops_forwards()
    {
        var port = LoopbackGateway.FreePort();
        await using var gateway = await LoopbackGateway.StartAsync(
            r => r.AddService("self", port, ["127.0.0.1"]).AddYaml(LoopbackGateway.Route(LoopbackGateway.ForwardTo("self", port))),
            new Dictionary<string, string?> { ["Higress:Limits:MaxHops"] = "4" },
            listenerPort: port);

        using var response = await gateway.Client.GetAsync(new Uri("/loop", UriKind.Relative));

        // The innermost pass refuses; each outer pass relays that answer back.
        Assert.Equal(HttpStatusCode.LoopDetected, response.StatusCode);
        Assert.Contains("508 Loop Detected", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_that_arrives_with_too_many_Via_entries_is_refused_and_one_below_the_limit_is_forwarded_with_one_more()
    {
        await using var backend = await SleepingBackend.StartAsync();
        await using var gateway = await LoopbackGateway.StartAsync(
            r => r.AddService("up", backend.Port, ["127.0.0.1"]).AddYaml(LoopbackGateway.Route(LoopbackGateway.ForwardTo("up", backend.Port))),
            new Dictionary<string, string?> { ["Higress:Limits:MaxHops"] = "3" });

        using var refused = new HttpRequestMessage(HttpMethod.Get, "/");
        refused.Headers.TryAddWithoutValidation("Via", "1.1 a, 1.1 b");
        refused.Headers.TryAddWithoutValidation("Via", "1.1 c");
        using var refusedResponse = await gateway.Client.SendAsync(refused);
        Assert.Equal(HttpStatusCode.LoopDetected, refusedResponse.StatusCode);
        Assert.Equal(0, backend.Requests);

        using var passed = new HttpRequestMessage(HttpMethod.Get, "/");
        passed.Headers.TryAddWithoutValidation("Via", "1.1 a, 1.1 b");
        using var passedResponse = await gateway.Client.SendAsync(passed);
        Assert.Equal(HttpStatusCode.OK, passedResponse.StatusCode);
        Assert.Equal(1, backend.Requests);
        Assert.Equal("1.1 a, 1.1 b, " + ViaHops.Entry, backend.LastVia);
    }

    [Theory]
    [InlineData(new string[0], 0)]
    [InlineData(new[] { "1.1 a" }, 1)]
    [InlineData(new[] { "1.1 a, 1.0 b (comment)" }, 2)]
    [InlineData(new[] { "1.1 a", "1.1 b, 1.1 c", " " }, 3)]
    public void Via_entries_are_counted_across_header_lines(string[] values, int expected) =>
        Assert.Equal(expected, ViaHops.Count(values));
}
