using System.Diagnostics;
using System.Net;

namespace Higress.Hosting.Tests.Runtime;

/// <summary>
/// Route <c>timeout</c> and HTTPRoute <c>timeouts</c>: a backend slower than the timeout gets its request cancelled and
/// the client gets 504; <c>0s</c> disables the timeout. Upper bounds on time are generous: they prove the timeout
/// fired, not how precisely.
/// </summary>
public sealed class RouteTimeoutTests
{
    private static Task<LoopbackGateway> NativeAsync(SleepingBackend backend, string timeout) => LoopbackGateway.StartAsync(r => r
        .AddService("up", backend.Port, ["127.0.0.1"])
        .AddYaml(LoopbackGateway.Route(LoopbackGateway.ForwardTo("up", backend.Port) + "\ntimeout: " + timeout)));

    private static Task<LoopbackGateway> HttpRouteAsync(SleepingBackend backend, string timeouts) => LoopbackGateway.StartAsync(r => r
        .AddService("up", backend.Port, ["127.0.0.1"])
        .AddYaml($$$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: web}
            spec:
              parentRefs: [{group: networking.higress.io, kind: Gateway, name: gw}]
              rules:
              - backendRefs: [{name: up, port: {{{backend.Port}}} }]
                timeouts: {{{timeouts}}}
            """));

    [Fact]
    public async Task A_route_timeout_answers_504_and_cancels_the_backend_call()
    {
        await using var backend = await SleepingBackend.StartAsync();
        await using var gateway = await NativeAsync(backend, "1s");

        var clock = Stopwatch.StartNew();
        using var response = await gateway.Client.GetAsync(new Uri("/sleep/5000", UriKind.Relative));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.True(await backend.SleepAborted.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4.5), $"504 after {clock.Elapsed}, expected before the backend's 5 s");
    }

    [Fact]
    public async Task A_backend_faster_than_the_timeout_answers_normally()
    {
        await using var backend = await SleepingBackend.StartAsync();
        await using var gateway = await NativeAsync(backend, "30s");

        using var response = await gateway.Client.GetAsync(new Uri("/sleep/10", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(await backend.SleepAborted);
    }

    [Theory]
    [InlineData("{request: 1s}")]
    [InlineData("{backendRequest: 1s}")]
    [InlineData("{request: 0s, backendRequest: 1s}")]
    public async Task HTTPRoute_timeouts_answer_504_and_cancel_the_backend_call(string timeouts)
    {
        await using var backend = await SleepingBackend.StartAsync();
        await using var gateway = await HttpRouteAsync(backend, timeouts);

        using var response = await gateway.Client.GetAsync(new Uri("/sleep/5000", UriKind.Relative));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.True(await backend.SleepAborted.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Theory]
    [InlineData(false, "0s")]
    [InlineData(true, "{request: 0s, backendRequest: 0s}")]
    public async Task A_zero_timeout_disables_it(bool httpRoute, string timeout)
    {
        await using var backend = await SleepingBackend.StartAsync();
        await using var gateway = await (httpRoute ? HttpRouteAsync(backend, timeout) : NativeAsync(backend, timeout));

        using var response = await gateway.Client.GetAsync(new Uri("/sleep/1500", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(await backend.SleepAborted);
    }
}
