using Higress.Core.Tests.Plugins;

namespace Higress.EndToEnd.Tests.Security;

/// <summary>The example of each authentication plugin's page (docs/plugins/*.md), loaded from the page unchanged.</summary>
public sealed class DocExampleTests
{
    private static string Example(string plugin)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Higress.Net.sln")))
        {
            directory = directory.Parent;
        }

        var page = File.ReadAllText(Path.Combine(directory!.FullName, "docs", "plugins", plugin + ".md"));
        var section = page[page.IndexOf("## Example", StringComparison.Ordinal)..];
        var start = section.IndexOf("```yaml\n", StringComparison.Ordinal) + "```yaml\n".Length;
        return section[start..section.IndexOf("```", start, StringComparison.Ordinal)];
    }

    [Fact]
    public async Task Key_auth_page_example()
    {
        await using var world = await AuthWorld.StartAsync(Example("key-auth"));
        Assert.Empty(await world.ErrorsAsync());

        var (ok, forwarded) = await world.SendAsync("/a/test?apikey=2bda943c-ba2b-11ec-ba07-00163e1250b5");
        Assert.Equal(200, ok.Code);
        Assert.Equal("consumer1", forwarded!.Headers["X-Mse-Consumer"]);
        Assert.Equal(403, (await world.SendAsync("/a/test?apikey=c8c8e9ca-558e-4a2d-bb62-e700dcc40e35")).Response.Code);
        Assert.Equal(200, (await world.SendAsync("/open")).Response.Code);
    }

    [Fact]
    public async Task Basic_auth_page_example()
    {
        await using var world = await AuthWorld.StartAsync(Example("basic-auth"));
        Assert.Empty(await world.ErrorsAsync());

        Assert.Equal(200, (await world.SendAsync("/a/test", headers: [("Authorization", "Basic YWRtaW46MTIzNDU2")])).Response.Code);
        Assert.Equal(403, (await world.SendAsync("/a/test", headers: [("Authorization", "Basic " + Convert.ToBase64String("guest:abc"u8))])).Response.Code);
    }

    [Fact]
    public async Task Hmac_auth_page_example()
    {
        await using var world = await AuthWorld.StartAsync(Example("hmac-auth"));
        Assert.Empty(await world.ErrorsAsync());

        var signed = HmacSigner.Sign("appKey-example-1", "appSecret-example-1", "GET", "/open/x?marker=m1", [("Accept", "application/json")]);
        var response = await world.Gateway.SendAsync(world.Port, "www.example.com", "/open/x?marker=m1", headers: signed.Select(h => KeyValuePair.Create(h.Name, h.Value)));
        Assert.Equal(200, response.Code);
        Assert.Equal("consumer-1", world.Forwarded("marker=m1")!.Headers["X-Mse-Consumer"]);
        Assert.Equal(401, (await world.SendAsync("/open/x")).Response.Code);
    }
}
