using System.Collections.Concurrent;
using Higress.Hosting.Tests.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Higress.Hosting.Tests.Telemetry;

/// <summary>
/// A real Kestrel backend on loopback that records every request (headers and body) and answers with
/// <c>respond</c> (default: 200 "ok"). Serves as a traced service, a backend that calls the gateway again, and a
/// Zipkin collector.
/// </summary>
internal sealed class RecordingBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Func<HttpContext, Task>? _respond;

    private RecordingBackend(WebApplication app, int port, Func<HttpContext, Task>? respond)
    {
        _app = app;
        Port = port;
        _respond = respond;
    }

    public int Port { get; }

    /// <summary>The requests received, in arrival order.</summary>
    public ConcurrentQueue<Received> Requests { get; } = new();

    public static Task<RecordingBackend> StartAsync(Func<HttpContext, Task>? respond = null) =>
        LoopbackBackend.StartAsync((app, port) => new RecordingBackend(app, port, respond), b => b.HandleAsync);

    public ValueTask DisposeAsync() => LoopbackBackend.StopAsync(_app);

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        Requests.Enqueue(new Received(context.Request.Path, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body));
        if (_respond is null)
        {
            await context.Response.WriteAsync("ok", context.RequestAborted);
        }
        else
        {
            await _respond(context);
        }
    }

    internal sealed record Received(string Path, IReadOnlyDictionary<string, string> Headers, string Body);
}
