using System.Globalization;
using System.Net;

namespace Higress.Hosting.Tests.Runtime;

/// <summary>Request bodies stream through unlimited by default; over a limit the upstream request is aborted, never completed.</summary>
public sealed class RequestBodyLimitTests
{
    private const long MiB = 1024 * 1024;

    private static Task<LoopbackGateway> GatewayAsync(CountingBackend backend, long? limit, long? ruleLimit = null) => LoopbackGateway.StartAsync(
        r => r
            .AddService("up", backend.Port, ["127.0.0.1"])
            .AddYaml($$$"""
                apiVersion: networking.higress.io/v1alpha1
                kind: Route
                metadata: {name: upload}
                spec:
                  http:
                  - route: [{destination: {host: up, port: {{{backend.Port}}} } }]
                    {{{(ruleLimit is null ? string.Empty : "maxRequestBodySize: " + ruleLimit.Value.ToString(CultureInfo.InvariantCulture))}}}
                """),
        limit is null ? null : new Dictionary<string, string?> { ["Higress:Limits:MaxRequestBodySize"] = limit.Value.ToString(CultureInfo.InvariantCulture) });

    [Fact]
    public async Task A_1_GB_streamed_upload_reaches_the_backend_intact_when_no_limit_is_set()
    {
        await using var backend = await CountingBackend.StartAsync();
        await using var gateway = await GatewayAsync(backend, limit: null);
        const long size = 1024 * MiB;

        using var content = new PatternContent(size, chunked: true);
        using var response = await gateway.Client.PostAsync(new Uri("/upload", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(size.ToString(CultureInfo.InvariantCulture), await response.Content.ReadAsStringAsync());
        Assert.Equal(new BodyOutcome(size, Complete: true, Intact: true), await backend.Outcome);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Over_the_limit_the_client_gets_413_and_the_backend_never_sees_a_complete_body(bool chunked)
    {
        await using var backend = await CountingBackend.StartAsync();
        await using var gateway = await GatewayAsync(backend, limit: 10 * MiB);

        using var content = new PatternContent(20 * MiB, chunked);
        using var response = await gateway.Client.PostAsync(new Uri("/upload", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertNeverCompleteAsync(backend, chunked);
    }

    [Fact]
    public async Task A_rule_limit_overrides_the_host_limit()
    {
        await using var backend = await CountingBackend.StartAsync();
        await using var gateway = await GatewayAsync(backend, limit: null, ruleLimit: 1 * MiB);

        using var content = new PatternContent(4 * MiB, chunked: true);
        using var response = await gateway.Client.PostAsync(new Uri("/upload", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertNeverCompleteAsync(backend, requireSeen: true);
    }

    private static async Task AssertNeverCompleteAsync(CountingBackend backend, bool requireSeen)
    {
        // A chunked body passes the limit's worth of bytes before it is cut, so the backend has the request and must
        // see its read fail. A declared Content-Length over the limit is refused before any byte is read.
        var outcome = await backend.Outcome.WaitAsync(TimeSpan.FromSeconds(requireSeen ? 30 : 5)).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null, TaskScheduler.Default);
        if (requireSeen)
        {
            Assert.NotNull(outcome);
        }

        if (outcome is not null)
        {
            Assert.False(outcome.Complete, $"the backend saw a complete body of {outcome.Bytes} bytes");
            Assert.True(outcome.Intact);
        }
    }
}
