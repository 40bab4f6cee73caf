using System.Net;
using System.Net.Sockets;
using Higress.Core.Plugins;
using Higress.Core.Plugins.BuiltIn.JwtAuth;
using Higress.Tests.Jwt;
using Microsoft.AspNetCore.Http;
using static Higress.Core.Tests.Plugins.PluginTestData;

namespace Higress.Core.Tests.Plugins.JwtAuth;

/// <summary>Key sets fetched from jwks_uri on a real loopback server: late start, rotation, failures.</summary>
public sealed class RemoteJwksTests
{
    private static readonly JwtTestKeys Keys = JwtTestKeys.Shared;
    private static readonly Lazy<JwtTestKeys> Rotated = new(() => new JwtTestKeys("rotated"));

    private static async Task<int> StatusAsync(JwtAuthPlugin plugin, JwtAuthConfig config, JwtAuthState state, string token)
    {
        var http = new DefaultHttpContext();
        http.Request.Headers.Authorization = "Bearer " + token;
        var result = await plugin.OnRequestAsync(new PluginContext(http, Route()) { InstanceState = state }, config);
        return result.IsContinue ? 200 : result.StatusCode;
    }

    private static (JwtAuthPlugin Plugin, JwtAuthConfig Config) Seed(string uri)
    {
        Assert.True(PluginCatalog.BuiltIn.TryGet(JwtAuthPlugin.PluginName, out var found));
        var plugin = (JwtAuthPlugin)found;
        var context = new PluginConfigContext(JwtAuthPlugin.PluginName, "test");
        using var document = System.Text.Json.JsonDocument.Parse($$"""{"issuer":"example.com","jwks_uri":"{{uri}}"}""");
        var config = plugin.ParseConfig(document.RootElement.Clone(), context);
        Assert.False(context.HasErrors, string.Join("\n", context.Errors));
        return (plugin, config);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<int> EventuallyAsync(Func<Task<int>> send, int wanted)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        int status;
        do
        {
            status = await send();
            if (status == wanted)
            {
                return status;
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);
        return status;
    }

    [Fact]
    public async Task A_JWKS_server_that_is_down_at_start_refuses_with_401_and_is_used_once_it_comes_up()
    {
        await using var server = new JwksServer(Keys.Jwks(withHmac: false), FreePort());
        var (plugin, config) = Seed(server.Uri);
        using var state = plugin.CreateState(config);

        Assert.Equal(401, await StatusAsync(plugin, config, state, Keys.Token()));

        await server.StartAsync();
        Assert.Equal(200, await EventuallyAsync(() => StatusAsync(plugin, config, state, Keys.Token()), 200));
    }

    [Fact]
    public async Task A_new_kid_fetches_the_set_again_and_a_failing_endpoint_keeps_the_last_good_set()
    {
        await using var server = await new JwksServer(Keys.Jwks(withHmac: false)).StartAsync();
        var (plugin, config) = Seed(server.Uri);
        using var state = plugin.CreateState(config);
        Assert.Equal(200, await StatusAsync(plugin, config, state, Keys.Token("ES256")));

        // Rotation: the issuer publishes a new key and signs with it; the first token with the new kid fetches again.
        server.Jwks = Rotated.Value.Jwks(withHmac: false);
        Assert.Equal(200, await StatusAsync(plugin, config, state, Rotated.Value.Token()));

        // The endpoint fails: the last good set keeps serving, and a further unknown kid within 30 s fetches nothing.
        server.Failing = true;
        var requests = server.Requests;
        Assert.Equal(200, await StatusAsync(plugin, config, state, Rotated.Value.Token("PS256")));
        Assert.Equal(401, await StatusAsync(plugin, config, state, Keys.Token()));
        Assert.Equal(requests, server.Requests);
        Assert.Equal(200, await StatusAsync(plugin, config, state, Rotated.Value.Token()));
    }
}
