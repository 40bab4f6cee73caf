using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Text;
using Higress.Core.Plugins;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Higress.Hosting.Tests.Runtime;

/// <summary>
/// The body phases: a plugin reads the request body (and the upstream's response body) up to its limit, and the
/// upstream (and the client) still receive every byte; over the limit the body passes unread, or the plugin answers 413.
/// </summary>
public sealed class BodyPhaseTests
{
    [Theory]
    [InlineData(10, "pass", 200, "10")]
    [InlineData(64, "pass", 200, "64")]
    [InlineData(65, "pass", 200, "too-large")]
    [InlineData(100_000, "pass", 200, "too-large")]
    [InlineData(100_000, "reject", 413, null)]
    public async Task A_plugin_reads_the_request_body_and_the_upstream_still_gets_all_of_it(int size, string overLimit, int status, string? seen)
    {
        await using var backend = await StartEchoBackendAsync();
        await using var gateway = await StartAsync(backend, overLimit);
        var body = Enumerable.Range(0, size).Select(i => (byte)('a' + (i % 26))).ToArray();

        // Chunked (no Content-Length) so that the limit is found by reading, not by the header.
        using var content = new StreamContent(new MemoryStream(body));
        using var response = await gateway.Client.PostAsync(new Uri("/echo", UriKind.Relative), content);

        Assert.Equal(status, (int)response.StatusCode);
        if (status == 200)
        {
            Assert.Equal(seen, Assert.Single(response.Headers.GetValues("x-request-body-seen")));
            Assert.Equal(SHA(body), await response.Content.ReadAsStringAsync());
            Assert.Equal(SHA(body).Length.ToString(CultureInfo.InvariantCulture), Assert.Single(response.Headers.GetValues("x-response-body-seen")));
        }
    }

    private static string SHA(byte[] body) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(body));

    private static Task<LoopbackGateway> StartAsync(WebApplication backend, string overLimit)
    {
        var port = backend.Port();
        return LoopbackGateway.StartAsync(
            r => r.AddService("echo", port, ["127.0.0.1"]).AddYaml($$$"""
                apiVersion: networking.higress.io/v1alpha1
                kind: Route
                metadata: {name: r}
                spec:
                  http:
                  - route: [{destination: {host: echo, port: {{{port}}} } }]
                ---
                apiVersion: networking.higress.io/v1alpha1
                kind: Extension
                metadata: {name: peek}
                spec:
                  plugin: body-peek
                  config: {max_body_bytes: 64, over_limit: {{{overLimit}}} }
                """),
            higress: h => h.AddPlugin<BodyPeekPlugin>());
    }

    private static async Task<WebApplication> StartEchoBackendAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{LoopbackGateway.FreePort()}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(async context =>
        {
            using var received = new MemoryStream();
            await context.Request.Body.CopyToAsync(received);
            await context.Response.WriteAsync(SHA(received.ToArray()));
        });
        await app.StartAsync();
        return app;
    }

    internal sealed record BodyPeekConfig
    {
        [Range(0, 1_000_000)]
        public int MaxBodyBytes { get; init; } = 1024;

        public string OverLimit { get; init; } = "pass";
    }

    /// <summary>Reads the request body and the upstream's response body and reports what it saw in headers.</summary>
    internal sealed class BodyPeekPlugin : HigressPlugin<BodyPeekConfig>
    {
        public override string Name => "body-peek";

        public override async ValueTask<PluginResult> OnRequestAsync(PluginContext context, BodyPeekConfig config)
        {
            var read = await context.ReadRequestBodyAsync(config.MaxBodyBytes);
            if (read.TooLarge && config.OverLimit == "reject")
            {
                return PluginResult.Respond(StatusCodes.Status413PayloadTooLarge, "too large");
            }

            context.HttpContext.Response.Headers["x-request-body-seen"] = read.TooLarge ? "too-large" : read.Body.Length.ToString(CultureInfo.InvariantCulture);
            return PluginResult.Continue;
        }

        public override async ValueTask OnResponseAsync(PluginContext context, BodyPeekConfig config)
        {
            var read = await context.ReadResponseBodyAsync(1024);
            context.HttpContext.Response.Headers["x-response-body-seen"] = Encoding.ASCII.GetString(read.Body.Span).Length.ToString(CultureInfo.InvariantCulture);
        }
    }
}
