using Higress.Core.Routing;
using Higress.Hosting.Runtime;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Higress.Hosting.Tests.Runtime;

/// <summary>
/// The request side of normalization: what it leaves in <c>Request.Path</c>, <c>RawTarget</c> and the Host, and that
/// an already-normal request costs no allocation. End to end: tests/Higress.EndToEnd.Tests/Security.
/// </summary>
public sealed class RequestNormalizationTests
{
    private static readonly RequestNormalization Default = new(new HigressSecurityOptions());

    [Theory]
    [InlineData("/a/%2e%2e/b%20c?q=%2e", "/b c", "/b%20c?q=%2e")]
    [InlineData("http://api.example.com/x//y?q", "/x/y", "/x/y?q")]
    [InlineData("http://api.example.com", "/", "/")]
    [InlineData("/plain?x=1", "/plain", "/plain?x=1")]
    public void PathAndRawTarget_HoldTheNormalForm(string rawTarget, string path, string normalTarget)
    {
        var context = Context(rawTarget, "api.example.com");
        Assert.Null(Default.Apply(context));
        Assert.Equal(path, context.Request.Path.Value);
        Assert.Equal(normalTarget, context.Features.Get<IHttpRequestFeature>()!.RawTarget);
    }

    [Theory]
    [InlineData("API.Example.COM.", "api.example.com")]
    [InlineData("api.example.com.:8080", "api.example.com:8080")]
    [InlineData("[::1]:8080", "[::1]:8080")]
    [InlineData("[FE80::1]", "[fe80::1]")]
    [InlineData("api.example.com", "api.example.com")]
    public void Host_IsLowerCasedWithoutTrailingDot(string host, string normal)
    {
        var context = Context("/", host);
        Assert.Null(Default.Apply(context));
        Assert.Equal(normal, context.Request.Host.Value);
        Assert.Equal(normal, context.Request.Headers.Host.ToString());
    }

    [Fact]
    public void ARefusedPath_IsReported()
    {
        Assert.NotNull(Default.Apply(Context("/a%2Fb", "a")));
        Assert.Null(new RequestNormalization(new HigressSecurityOptions { EscapedSlashes = EscapedSlashAction.Keep }).Apply(Context("/a%2Fb", "a")));
    }

    [Fact]
    public void ANormalRequest_AllocatesNothing()
    {
        var context = Context("/svc/items/42?page=2", "api.example.com:8080");
        Default.Apply(context);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            Default.Apply(context);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static DefaultHttpContext Context(string rawTarget, string host)
    {
        var context = new DefaultHttpContext();
        var request = context.Features.Get<IHttpRequestFeature>()!;
        request.RawTarget = rawTarget;
        var queryStart = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var beforeQuery = queryStart < 0 ? rawTarget : rawTarget[..queryStart];
        var pathStart = beforeQuery.StartsWith('/') ? 0 : beforeQuery.IndexOf('/', beforeQuery.IndexOf("://", StringComparison.Ordinal) + 3);
        request.Path = pathStart < 0 ? "/" : Uri.UnescapeDataString(beforeQuery[pathStart..]);
        context.Request.Host = new HostString(host);
        return context;
    }
}
