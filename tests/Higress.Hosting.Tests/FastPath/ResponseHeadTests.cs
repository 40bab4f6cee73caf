using System.Buffers;
using System.Text;
using Higress.Hosting.FastPath;

namespace Higress.Hosting.Tests.FastPath;

/// <summary>The strict response-head parser: what it accepts, where the body starts, and which framing it reports.</summary>
public sealed class ResponseHeadTests
{
    [Fact]
    public void A_head_split_over_segments_is_parsed_once_complete_and_the_body_starts_after_it()
    {
        var bytes = Encoding.ASCII.GetBytes("HTTP/1.1 201 Created\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nX-A: one\r\nX-A: two\r\n\r\nhello");
        Assert.Null(ResponseHead.TryParse(new ReadOnlySequence<byte>(bytes, 0, 30), out _));

        var split = Split(bytes, 17);
        var head = ResponseHead.TryParse(split, out var consumed);

        Assert.NotNull(head);
        Assert.Equal(201, head.Status);
        Assert.Equal(5, head.ContentLength);
        Assert.True(head.KeepAlive);
        Assert.Equal(ResponseFraming.ContentLength, head.Framing(headRequest: false));
        Assert.Equal(ResponseFraming.None, head.Framing(headRequest: true));
        Assert.Equal(["one", "two"], head.Headers.Where(h => h.Key == "X-A").Select(h => h.Value));
        Assert.Equal("hello", Encoding.ASCII.GetString(split.Slice(consumed).ToArray()));
    }

    [Fact]
    public void A_connection_list_is_refilled_and_a_repeated_header_keeps_its_string()
    {
        var list = new List<KeyValuePair<string, string>>();
        var first = ResponseHead.TryParse(Head("HTTP/1.1 200 OK\r\nServer: up\r\nX-Id: 1\r\nx-custom: a\r\nContent-Length: 0\r\n\r\n"), out _, list);
        Assert.NotNull(first);
        var server = list[0].Value;
        var custom = list[2];

        // Same names and values where they were: the same strings; a changed value is new; a shorter head drops the rest.
        var second = ResponseHead.TryParse(Head("HTTP/1.1 404 Not Found\r\nServer: up\r\nX-Id: 2\r\nx-custom: a\r\n\r\n"), out _, list);

        Assert.NotNull(second);
        Assert.Same(list, second.Headers);
        Assert.Equal(404, second.Status);
        Assert.Null(second.ContentLength);
        Assert.Equal([("Server", "up"), ("X-Id", "2"), ("x-custom", "a")], list.Select(h => (h.Key, h.Value)));
        Assert.Same(server, list[0].Value);
        Assert.Same(custom.Key, list[2].Key);
        Assert.Same(custom.Value, list[2].Value);

        // A name in other letters at the same place is its own header, and a longer head adds to the list.
        var third = ResponseHead.TryParse(Head("HTTP/1.1 200 OK\r\nserver: up\r\nX-Id: 2\r\nX-Custom: b\r\nX-More: m\r\nContent-Length: 3\r\n\r\n"), out _, list);

        Assert.NotNull(third);
        Assert.Equal(3, third.ContentLength);
        Assert.Equal([("Server", "up"), ("X-Id", "2"), ("X-Custom", "b"), ("X-More", "m"), ("Content-Length", "3")], list.Select(h => (h.Key, h.Value)));
    }

    private static ReadOnlySequence<byte> Head(string text) => new(Encoding.ASCII.GetBytes(text));

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "Chunked", true)]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\n", "ContentLength", false)]
    [InlineData("HTTP/1.1 200 OK\r\n\r\n", "UntilClose", true)]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\n", "ContentLength", false)]
    [InlineData("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\n", "ContentLength", true)]
    [InlineData("HTTP/1.1 204 No Content\r\n\r\n", "None", true)]
    [InlineData("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n", "None", true)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 7, 7\r\n\r\n", "ContentLength", true)]
    public void Framing_and_keep_alive_follow_rfc_9112(string text, string framing, bool keepAlive)
    {
        var head = ResponseHead.TryParse(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(text)), out _);

        Assert.NotNull(head);
        Assert.Equal(Enum.Parse<ResponseFraming>(framing), head.Framing(headRequest: false));
        Assert.Equal(keepAlive, head.KeepAlive);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 0x1\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX-A: 1\r\n\tfolded\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX-A:\u0001\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX\tA: 1\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\n: 1\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX-A: 1\n\r\n\r\n")]
    [InlineData("HTTP/1.1 2000 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 099 Low\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\n\r\n")]
    [InlineData("ICY 200 OK\r\n\r\n")]
    public void Ambiguous_or_malformed_heads_are_refused(string text)
    {
        Assert.Throws<UpstreamProtocolException>(() => ResponseHead.TryParse(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(text)), out _));
    }

    [Fact]
    public void A_bare_lf_is_refused_before_the_head_is_complete()
    {
        Assert.Throws<UpstreamProtocolException>(() => ResponseHead.TryParse(new ReadOnlySequence<byte>("HTTP/1.1 200 OK\nX: 1"u8.ToArray()), out _));
    }

    private static ReadOnlySequence<byte> Split(byte[] bytes, int at)
    {
        var first = new Segment(bytes.AsMemory(0, at));
        var last = first.Append(bytes.AsMemory(at));
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
