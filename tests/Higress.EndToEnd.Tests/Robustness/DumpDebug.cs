namespace Higress.EndToEnd.Tests.Robustness;

public sealed class DumpDebug(BadInputTests.Fixture fixture) : IClassFixture<BadInputTests.Fixture>
{
    [Fact]
    public async Task Dump()
    {
        var dump = await fixture.World.Gateway.Client.ConfigDumpAsync();
        dump.Remove("plan");
        await File.WriteAllTextAsync("/tmp/e2e-dump.json", dump.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }
}
