using Higress.EndToEnd.Tests.Infrastructure;

namespace Higress.EndToEnd.Tests.Plugins;

/// <summary>A transformer config that was valid and is edited into an invalid one keeps serving its last good config.</summary>
public sealed class TransformerReloadTests
{
    private const string Good = "reqRules:\n- operate: add\n  headers:\n  - key: x-added\n    value: v1";

    [Fact]
    public async Task An_invalid_edit_keeps_the_last_good_config_and_is_reported()
    {
        await using var backend = await EchoBackend.StartAsync("default", "echo");
        var port = FreePorts.Next();
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string>
        {
            ["gateway.yaml"] = TransformerTests.GatewayYaml(port, new Dictionary<string, string> { ["edit"] = Good }),
            ["echo.yaml"] = ConformanceWorld.ServiceYaml("default", "echo", backend.Port, servicePort: 80),
        });
        var headers = new Dictionary<string, string> { ["x-case"] = "edit" };
        Assert.Equal("v1", (await gateway.SendAsync(port, "foo.bar.com", "/", headers: headers)).Echo.HeaderValue("x-added"));

        // "value" under replace is a field replace does not read: an error, so the edit is not applied.
        var bad = "reqRules:\n- operate: replace\n  headers:\n  - key: x-added\n    value: v2";
        await gateway.ApplyAsync("gateway.yaml", TransformerTests.GatewayYaml(port, new Dictionary<string, string> { ["edit"] = bad }));

        var response = await gateway.SendAsync(port, "foo.bar.com", "/", headers: headers);
        Assert.Equal(200, response.Code);
        Assert.Equal("v1", response.Echo.HeaderValue("x-added"));
        var dump = (await gateway.Client.ConfigDumpAsync()).ToJsonString();
        Assert.Contains("spec.config.reqRules[0].headers[0].value", dump, StringComparison.Ordinal);
    }
}
