using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Higress.Core.Tests.Plugins.Opa;

/// <summary>
/// A fake of OPA's REST data API for tests (no OPA binary is available here): a Kestrel app on 127.0.0.1 that answers
/// <c>POST /v1/data/{path}</c> as OPA does, with the answer chosen by <see cref="Answer"/>, and keeps the inputs it got.
/// It is not OPA: it evaluates no policy.
/// </summary>
internal sealed class FakeOpaServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeOpaServer(WebApplication app) => _app = app;

    /// <summary>What the fake answers.</summary>
    public enum Mode
    {
        /// <summary>200 <c>{"result": true}</c>.</summary>
        Allow,

        /// <summary>200 <c>{"result": false}</c>.</summary>
        Deny,

        /// <summary>200 <c>{}</c>: the decision is undefined.</summary>
        Undefined,

        /// <summary>500 with OPA's error body.</summary>
        ServerError,

        /// <summary>Answers after <see cref="SlowDelay"/>.</summary>
        Slow,
    }

    /// <summary>How long <see cref="Mode.Slow"/> waits (bounded, so that a test never hangs).</summary>
    public static readonly TimeSpan SlowDelay = TimeSpan.FromSeconds(3);

    public Mode Answer { get; set; } = Mode.Allow;

    public int Port { get; private set; }

    /// <summary>Each request's path and <c>input</c>.</summary>
    public List<(string Path, JsonElement Input)> Requests { get; } = [];

    public static async Task<FakeOpaServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeOpaServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.Port = new Uri(app.Urls.Single()).Port;
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || context.Request.Path.Value?.StartsWith("/v1/data/", StringComparison.Ordinal) != true)
        {
            context.Response.StatusCode = 404;
            return;
        }

        using var document = await JsonDocument.ParseAsync(context.Request.Body);
        lock (Requests)
        {
            Requests.Add((context.Request.Path.Value!, document.RootElement.GetProperty("input").Clone()));
        }

        context.Response.ContentType = "application/json";
        switch (Answer)
        {
            case Mode.Allow:
                await context.Response.WriteAsync("""{"result": true}""");
                break;
            case Mode.Deny:
                await context.Response.WriteAsync("""{"result": false}""");
                break;
            case Mode.Undefined:
                await context.Response.WriteAsync("{}");
                break;
            case Mode.ServerError:
                context.Response.StatusCode = 500;
                await context.Response.WriteAsync("""{"code": "internal_error", "message": "storage error"}""");
                break;
            case Mode.Slow:
                await Task.Delay(SlowDelay, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                await context.Response.WriteAsync("""{"result": true}""");
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
