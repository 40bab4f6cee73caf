using Higress.Core.Grpc;
using Microsoft.AspNetCore.Http;

namespace Higress.Core.Tests.Grpc;

public sealed class GrpcTimeoutTests
{
    [Theory]
    [InlineData("2H", 2 * 3600_000.0)]
    [InlineData("3M", 180_000.0)]
    [InlineData("5S", 5_000.0)]
    [InlineData("250m", 250.0)]
    [InlineData("1500u", 1.5)]
    [InlineData("2000000n", 2.0)]
    [InlineData("99999999m", 99_999_999.0)]
    public void Every_unit_of_the_header_is_read(string value, double milliseconds)
    {
        Assert.True(GrpcTimeout.TryParse(value, out var timeout));
        Assert.Equal(milliseconds, timeout.TotalMilliseconds, 6);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("S")]
    [InlineData("5s")]
    [InlineData("-5S")]
    [InlineData("5 S")]
    [InlineData("123456789S")]
    public void A_malformed_header_is_ignored(string value) => Assert.False(GrpcTimeout.TryParse(value, out _));

    [Fact]
    public void The_smaller_of_the_rule_timeout_and_the_clients_wins_and_a_smaller_rule_timeout_is_sent_on()
    {
        var longer = Request("application/grpc", "10S");
        var shorter = Request("application/grpc+proto", "200m");

        Assert.Equal(TimeSpan.FromSeconds(3), GrpcTimeout.Effective(longer, TimeSpan.FromSeconds(3)));
        Assert.Equal("3000m", longer.Headers[GrpcTimeout.Header].ToString());
        Assert.Equal(TimeSpan.FromMilliseconds(200), GrpcTimeout.Effective(shorter, TimeSpan.FromSeconds(3)));
        Assert.Equal("200m", shorter.Headers[GrpcTimeout.Header].ToString());
        Assert.Equal(TimeSpan.FromMilliseconds(200), GrpcTimeout.Effective(Request("application/grpc", "200m"), null));
    }

    [Fact]
    public void Without_a_valid_header_or_on_a_request_that_is_not_grpc_the_rule_timeout_stands()
    {
        var rule = TimeSpan.FromSeconds(3);

        Assert.Equal(rule, GrpcTimeout.Effective(Request("application/json", "1S"), rule));
        Assert.Equal(rule, GrpcTimeout.Effective(Request("application/grpc", "soon"), rule));
        Assert.Equal(rule, GrpcTimeout.Effective(Request("application/grpc", null), rule));
        Assert.Null(GrpcTimeout.Effective(Request("application/grpc", null), null));
    }

    [Theory]
    [InlineData(250, "250m")]
    [InlineData(0.2, "1m")]
    [InlineData(100_000_000, "100000S")]
    public void A_deadline_is_written_in_milliseconds_rounded_up_or_in_seconds_when_too_long(double milliseconds, string expected) =>
        Assert.Equal(expected, GrpcTimeout.Format(TimeSpan.FromMilliseconds(milliseconds)));

    private static HttpRequest Request(string contentType, string? timeout)
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = contentType;
        if (timeout is not null)
        {
            context.Request.Headers[GrpcTimeout.Header] = timeout;
        }

        return context.Request;
    }
}
