using System.Collections.Concurrent;
using System.Net;
using Higress.Hosting.Tests.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Higress.Hosting.Tests.Resilience;

/// <summary>
/// A real Kestrel backend that counts requests and the connections they came on, and holds every request to a path
/// under <c>/hold</c> until the test calls <see cref="Release"/> (after which such requests pass at once): a pool's
/// limits can be filled and observed without any timing.
/// </summary>
internal sealed class HoldingBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, byte> _connections = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _arrived = new(0);
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _requests;

    private HoldingBackend(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    /// <summary>How many requests arrived.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>How many distinct connections requests arrived on.</summary>
    public int Connections => _connections.Count;

    public static Task<HoldingBackend> StartAsync() =>
        LoopbackBackend.StartAsync((app, port) => new HoldingBackend(app, port), b => b.HandleAsync);

    /// <summary>Waits (at most 10 s) until <paramref name="count"/> more requests have arrived.</summary>
    public async Task WaitArrivedAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.True(await _arrived.WaitAsync(TimeSpan.FromSeconds(10)), "the backend did not receive the expected request");
        }
    }

    /// <summary>Lets every held request, and every later one, answer.</summary>
    public void Release() => _release.TrySetResult();

    /// <summary>Holds requests again from now on.</summary>
    public void Hold() => Interlocked.Exchange(ref _release, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _arrived.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        _connections.TryAdd(context.Connection.Id, 0);
        _arrived.Release();
        if (context.Request.Path.StartsWithSegments("/hold", StringComparison.Ordinal))
        {
            await Volatile.Read(ref _release).Task.WaitAsync(context.RequestAborted);
        }

        await context.Response.WriteAsync("ok");
    }
}
