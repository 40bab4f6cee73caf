using System.Net;
using System.Net.Sockets;
using Higress.Core.Diagnostics;

namespace Higress.Core.Tests.Plugins.Opa;

/// <summary>Remote mode against <see cref="FakeOpaServer"/>: each OPA answer gives the documented result.</summary>
public sealed class OpaRemoteTests
{
    private readonly OpaTestKit _kit = new();

    private static string Config(int port, string timeout = "1s") =>
        $$"""{"policy": "authz/allow", "timeout": "{{timeout}}", "serviceSource": "ip", "host": "127.0.0.1", "servicePort": {{port}}}""";

    [Theory]
    [InlineData("Allow", 0)]
    [InlineData("Deny", 403)]
    [InlineData("Undefined", 403)]
    [InlineData("ServerError", 403)]
    public async Task Each_OPA_answer_gives_the_documented_result(string mode, int status)
    {
        var answer = Enum.Parse<FakeOpaServer.Mode>(mode);
        await using var opa = await FakeOpaServer.StartAsync();
        opa.Answer = answer;
        // A generous timeout: the fake answers at once, and a slow first connection on a busy machine is not the point.
        var config = _kit.Config(Config(opa.Port, "10s"));
        using var state = _kit.Plugin.CreateState(config);
        var (result, _) = await _kit.SendAsync(config, state, "POST", "/api/books", headers: [new("X-Caller", "alice")]);
        Assert.Equal(status, result.StatusCode);

        var (path, input) = Assert.Single(opa.Requests);
        Assert.Equal("/v1/data/authz/allow", path);
        Assert.Equal("POST", input.GetProperty("request").GetProperty("method").GetString());
        Assert.Equal("alice", input.GetProperty("attributes").GetProperty("request").GetProperty("http").GetProperty("headers").GetProperty("x-caller").GetString());
        Assert.Equal(answer == FakeOpaServer.Mode.ServerError, _kit.Logger.Events.Any(e => e.Id.Id == EventIds.OpaDecisionFailed));
    }

    [Fact]
    public async Task A_slow_OPA_is_cut_at_the_timeout_and_answered_per_fail_strategy()
    {
        await using var opa = await FakeOpaServer.StartAsync();
        opa.Answer = FakeOpaServer.Mode.Slow;
        var config = _kit.Config(Config(opa.Port, "100ms").Replace("}", ", \"status_on_error\": 503}", StringComparison.Ordinal));
        using var state = _kit.Plugin.CreateState(config);
        Assert.Equal(503, (await _kit.SendAsync(config, state)).Result.StatusCode);
        Assert.True((await _kit.SendAsync(config, state, failStrategy: Higress.Core.Resources.FailStrategy.FailOpen)).Result.IsContinue);
        Assert.Contains(_kit.Logger.Events, e => e.Id.Id == EventIds.OpaDecisionFailed && e.Message.Contains("did not answer within 100 ms", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_connection_fails_closed_with_403()
    {
        // A port that was just free and has nobody listening: the connection is refused.
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var config = _kit.Config(Config(port));
        using var state = _kit.Plugin.CreateState(config);
        Assert.Equal(403, (await _kit.SendAsync(config, state)).Result.StatusCode);
        Assert.Contains(_kit.Logger.Events, e => e.Id.Id == EventIds.OpaDecisionFailed && e.Message.Contains("cannot be reached", StringComparison.Ordinal));
    }
}
