using Higress.Core.Grpc;
using Microsoft.AspNetCore.Http;

namespace Higress.Core.Tests.Grpc;

public sealed class GrpcLocalReplyTests
{
    [Theory]
    [InlineData(400, 13)]
    [InlineData(401, 16)]
    [InlineData(403, 7)]
    [InlineData(404, 12)]
    [InlineData(429, 8)]
    [InlineData(502, 14)]
    [InlineData(503, 14)]
    [InlineData(504, 14)]
    [InlineData(500, 2)]
    [InlineData(413, 2)]
    [InlineData(302, 2)]
    public void Http_statuses_map_as_envoy_maps_them_with_429_as_resource_exhausted(int status, int expected) =>
        Assert.Equal(expected, (int)GrpcLocalReply.FromHttpStatus(status));

    [Fact]
    public void A_local_answer_to_a_grpc_request_becomes_a_trailers_only_200_with_an_encoded_one_line_message()
    {
        var context = Context("application/grpc+proto");
        context.Response.StatusCode = 403;
        context.Response.Headers["x-request-id"] = "r1";

        GrpcLocalReply.Begin(context);
        Assert.True(GrpcLocalReply.TryComplete(context, "403 Forbidden: 100% denied, ünïcode\nrequest id: r1\n"));

        var response = context.Response;
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("application/grpc", response.ContentType);
        Assert.Equal("7", response.Headers[GrpcLocalReply.StatusHeader].ToString());
        Assert.Equal("403 Forbidden: 100%25 denied, %C3%BCn%C3%AFcode; request id: r1", response.Headers[GrpcLocalReply.MessageHeader].ToString());
        Assert.Equal("r1", response.Headers["x-request-id"].ToString());
        Assert.Equal(403, GrpcLocalReply.DecidedStatus(context));
    }

    [Fact]
    public void A_named_status_overrides_the_mapping_and_an_empty_body_gives_the_reason_phrase()
    {
        var context = Context("application/grpc");
        context.Response.StatusCode = 504;

        GrpcLocalReply.Begin(context, GrpcStatusCode.DeadlineExceeded);
        Assert.True(GrpcLocalReply.TryComplete(context, ReadOnlyMemory<byte>.Empty));

        Assert.Equal("4", context.Response.Headers[GrpcLocalReply.StatusHeader].ToString());
        Assert.Equal("Gateway Timeout", context.Response.Headers[GrpcLocalReply.MessageHeader].ToString());
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/plain")]
    [InlineData(null)]
    public void A_request_that_is_not_grpc_keeps_its_http_answer(string? contentType)
    {
        var context = Context(contentType);
        context.Response.StatusCode = 404;

        GrpcLocalReply.Begin(context);

        Assert.False(GrpcLocalReply.TryComplete(context, "404 Not Found"));
        Assert.Equal(404, context.Response.StatusCode);
        Assert.False(context.Response.Headers.ContainsKey(GrpcLocalReply.StatusHeader));
        Assert.Equal(404, GrpcLocalReply.DecidedStatus(context));
    }

    [Fact]
    public void Without_begin_nothing_changes_so_a_proxied_grpc_response_is_left_alone()
    {
        var context = Context("application/grpc");
        context.Response.StatusCode = 503;

        Assert.False(GrpcLocalReply.TryComplete(context, "replaced by a plugin"));
        Assert.Equal(503, context.Response.StatusCode);
    }

    private static DefaultHttpContext Context(string? contentType)
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = contentType;
        return context;
    }
}
