using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Higress.Hosting.Tests.Runtime;

/// <summary>Starts the test backends: a slim Kestrel app on 127.0.0.1 and a port known before it starts.</summary>
internal static class LoopbackBackend
{
    /// <summary>
    /// Starts a backend: <paramref name="create"/> makes the test's object around the app and its port, and
    /// <paramref name="handler"/> names the object's request handler.
    /// </summary>
    public static async Task<T> StartAsync<T>(Func<WebApplication, int, T> create, Func<T, RequestDelegate> handler, Action<KestrelServerOptions>? kestrel = null)
    {
        var port = TestPorts.Next();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            kestrel?.Invoke(k);
            k.Listen(IPAddress.Loopback, port);
        });
        var app = builder.Build();
        var backend = create(app, port);
        app.Run(handler(backend));
        await app.StartAsync();
        return backend;
    }

    /// <summary>Stops and disposes a backend's app.</summary>
    public static async ValueTask StopAsync(WebApplication app)
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
