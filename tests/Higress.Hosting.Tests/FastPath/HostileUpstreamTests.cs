using System.Net;
using Higress.Hosting.Sources;
using Higress.Hosting.Tests.Runtime;

namespace Higress.Hosting.Tests.FastPath;

/// <summary>
/// The fast path against upstreams that answer exactly as scripted on a raw socket: it forwards what is framed
/// unambiguously, refuses (502) or cuts off (client connection aborted) what is not, and reuses a connection only
/// after a response that was read completely and framed correctly.
/// </summary>
public sealed class HostileUpstreamTests
{
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n5\r\nhello\r\n0\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\nhello!")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Folded: a\r\n b\r\n\r\nhello")]
    [InlineData("HTTP/1.1 200 OK\nContent-Length: 5\n\nhello")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\rX-Bare: cr\r\n\r\nhello")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length : 5\r\n\r\nhello")]
    [InlineData("HTTP/1.1 200 OK\r\nX Space: 1\r\nContent-Length: 5\r\n\r\nhello")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\nhello")]
    [InlineData("HTTP/2.0 200 OK\r\nContent-Length: 5\r\n\r\nhello")]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: upgrade\r\n\r\n")]
    public async Task An_ambiguous_or_malformed_response_head_is_answered_502_and_its_connection_closed(string response)
    {
        await using var upstream = RawUpstream.Start(response);
        await using var gateway = await StartAsync(upstream);

        using var first = await gateway.Client.GetAsync("/x");
        Assert.Equal(HttpStatusCode.BadGateway, first.StatusCode);
        Assert.DoesNotContain("hello", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var second = await gateway.Client.GetAsync("/x");
        Assert.Equal(HttpStatusCode.BadGateway, second.StatusCode);
        Assert.Equal(2, upstream.Connections);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n11111111111111111\r\nx\r\n0\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n")]
    public async Task An_invalid_chunk_breaks_the_response_and_the_connection_is_not_reused(string response)
    {
        await using var upstream = RawUpstream.Start(response);
        await using var gateway = await StartAsync(upstream);

        await AssertBrokenAsync(gateway.Client, "/x");
        await AssertBrokenAsync(gateway.Client, "/x");
        Assert.Equal(2, upstream.Connections);
    }

    [Fact]
    public async Task An_upstream_closing_in_the_middle_of_the_body_breaks_the_response_and_the_next_request_gets_a_new_connection()
    {
        await using var upstream = RawUpstream.Start(n => n == 0
            ? new RawUpstream.Reply("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789", Close: true)
            : new RawUpstream.Reply(Ok));
        await using var gateway = await StartAsync(upstream);

        await AssertBrokenAsync(gateway.Client, "/x");
        using var next = await gateway.Client.GetAsync("/x");

        Assert.Equal("ok", await next.Content.ReadAsStringAsync());
        Assert.Equal(2, upstream.Connections);
    }

    [Fact]
    public async Task Keep_alive_responses_reuse_one_connection_and_connection_close_ends_it()
    {
        await using var upstream = RawUpstream.Start(n => n == 1
            ? new RawUpstream.Reply("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
            : new RawUpstream.Reply(Ok));
        await using var gateway = await StartAsync(upstream);

        for (var i = 0; i < 4; i++)
        {
            using var response = await gateway.Client.GetAsync("/x");
            Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        }

        // Requests 0 and 1 share the first connection; 1 said close; 2 and 3 share the second.
        Assert.Equal(2, upstream.Connections);
    }

    [Fact]
    public async Task A_connection_the_upstream_closed_while_idle_is_not_used_and_the_request_succeeds()
    {
        await using var upstream = RawUpstream.Start(_ => new RawUpstream.Reply(Ok, Close: true));
        await using var gateway = await StartAsync(upstream);

        for (var i = 0; i < 3; i++)
        {
            using var response = await gateway.Client.GetAsync("/x");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(3, upstream.Connections);
    }

    [Fact]
    public async Task Chunked_responses_with_extensions_trailers_and_interim_responses_arrive_decoded_and_the_connection_is_reused()
    {
        await using var upstream = RawUpstream.Start(
            "HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Upstream: 1\r\n\r\n"
            + "5;name=value\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: t\r\n\r\n");
        await using var gateway = await StartAsync(upstream);

        for (var i = 0; i < 2; i++)
        {
            using var response = await gateway.Client.GetAsync("/x");
            Assert.Equal("hello world", await response.Content.ReadAsStringAsync());
            Assert.Equal("1", Assert.Single(response.Headers.GetValues("X-Upstream")));
        }

        Assert.Equal(1, upstream.Connections);
    }

    [Fact]
    public async Task Hop_by_hop_and_connection_listed_headers_are_removed_both_ways_and_one_framing_goes_upstream()
    {
        await using var upstream = RawUpstream.Start("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: x-secret\r\nX-Secret: s\r\nKeep-Alive: timeout=5\r\nX-Kept: k\r\n\r\nok");
        await using var gateway = await StartAsync(upstream);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/x?q=1") { Content = new ByteArrayContent("body!"u8.ToArray()) };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.TryAddWithoutValidation("Connection", "x-hop");
        request.Headers.TryAddWithoutValidation("X-Hop", "h");
        request.Headers.TryAddWithoutValidation("Keep-Alive", "timeout=5");
        request.Headers.TryAddWithoutValidation("Proxy-Authorization", "Basic eA==");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "6.6.6.6");
        request.Headers.TryAddWithoutValidation("X-End", "e");

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.False(response.Headers.Contains("X-Secret"));
        Assert.False(response.Headers.Contains("Keep-Alive"));
        Assert.Equal("k", Assert.Single(response.Headers.GetValues("X-Kept")));
        var (head, body) = Assert.Single(upstream.Received);
        var lines = head.Split("\r\n");
        Assert.Equal("POST /x?q=1 HTTP/1.1", lines[0]);
        Assert.Contains("X-End: e", lines);
        Assert.Contains("X-Forwarded-For: 127.0.0.1", lines);
        Assert.Contains("Transfer-Encoding: chunked", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("X-Hop", StringComparison.OrdinalIgnoreCase) || l.StartsWith("Keep-Alive", StringComparison.OrdinalIgnoreCase)
            || l.StartsWith("Proxy-Authorization", StringComparison.OrdinalIgnoreCase) || l.StartsWith("Connection", StringComparison.OrdinalIgnoreCase)
            || l.StartsWith("Content-Length", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("body!", System.Text.Encoding.ASCII.GetString(body));
    }

    private static Task<LoopbackGateway> StartAsync(RawUpstream upstream) =>
        LoopbackGateway.StartAsync(r => r.AddService("raw", upstream.Port, ["127.0.0.1"]).AddYaml(LoopbackGateway.Route(LoopbackGateway.ForwardTo("raw", upstream.Port))));

    // The client sees the response break: an error status, or the connection cut inside the body.
    private static async Task AssertBrokenAsync(HttpClient client, string path)
    {
        try
        {
            using var response = await client.GetAsync(path);
            var body = await response.Content.ReadAsByteArrayAsync();
            Assert.Fail($"expected a broken response, got {(int)response.StatusCode} with {body.Length} bytes");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            // The gateway aborted the client connection in the middle of the body.
        }
    }
}
