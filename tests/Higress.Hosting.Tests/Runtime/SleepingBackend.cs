using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Higress.Hosting.Tests.Runtime;

/// <summary>
/// A real Kestrel backend that counts requests and, when the path starts with <c>/sleep/</c>, waits that many
/// milliseconds before answering, recording whether the request was aborted while it waited.
/// </summary>
internal sealed class SleepingBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource<bool> _aborted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _requests;

    private SleepingBackend(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    /// <summary>How many requests arrived.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The <c>Via</c> header of the last request, or null.</summary>
    public string? LastVia { get; private set; }

    /// <summary>Completes true when a sleeping request was aborted, false when one slept to its end.</summary>
    public Task<bool> SleepAborted => _aborted.Task;

    public static Task<SleepingBackend> StartAsync() =>
        LoopbackBackend.StartAsync((app, port) => new SleepingBackend(app, port), b => b.HandleAsync);

    /// <summary>Runs <paramref name="test"/> with <paramref name="count"/> backends and stops them afterwards.</summary>
    public static async Task WithManyAsync(int count, Func<SleepingBackend[], Task> test)
    {
        var backends = new SleepingBackend[count];
        try
        {
            for (var i = 0; i < count; i++)
            {
                backends[i] = await StartAsync();
            }

            await test(backends);
        }
        finally
        {
            foreach (var backend in backends.Where(b => b is not null))
            {
                await backend.DisposeAsync();
            }
        }
    }

    public ValueTask DisposeAsync() => LoopbackBackend.StopAsync(_app);

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        LastVia = context.Request.Headers.Via.ToString();
        var path = context.Request.Path.Value ?? "/";
        if (path.StartsWith("/sleep/", StringComparison.Ordinal) && int.TryParse(path["/sleep/".Length..], out var ms))
        {
            try
            {
                await Task.Delay(ms, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                _aborted.TrySetResult(true);
                return;
            }

            _aborted.TrySetResult(false);
        }

        await context.Response.WriteAsync("ok");
    }
}
