using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Higress.Hosting.Tests.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Higress.Hosting.Tests.Resilience;

/// <summary>
/// A real Kestrel backend that fails on purpose, chosen by path: <c>/flaky/{percent}</c> answers 503 to that share of
/// tries, decided by a hash of the <c>x-key</c> header and the try's number (deterministic whatever the concurrency);
/// <c>/status/{code}</c> always answers the code; <c>/reset</c> aborts the connection before answering;
/// <c>/reset-mid-body</c> sends headers and a few bytes, then aborts once <see cref="ResetMidBody"/> is called; <c>/slow-first/{ms}</c> makes the first request
/// wait that long (it records whether it was aborted) and answers the others at once; <c>/slow/{ms}</c> makes every
/// request wait; anything else answers 200 "ok".
/// </summary>
internal sealed class FlakyBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _triesByKey = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<bool> _slowAborted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _resetMidBody = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _requests;
    private int _slowTaken;

    private FlakyBackend(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Lets <c>/reset-mid-body</c> reset its connection (after its headers and first bytes were sent).</summary>
    public void ResetMidBody() => _resetMidBody.TrySetResult();

    /// <summary>Requests that arrived, retries included.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Completes true when the slow first request was aborted, false when it slept to its end.</summary>
    public Task<bool> SlowAborted => _slowAborted.Task;

    public static Task<FlakyBackend> StartAsync() =>
        LoopbackBackend.StartAsync((app, port) => new FlakyBackend(app, port), b => b.HandleAsync);

    /// <summary>Whether try <paramref name="attempt"/> (0-based) of key <paramref name="key"/> fails at <paramref name="percent"/>.</summary>
    public static bool Fails(string key, int attempt, int percent)
    {
        // FNV-1a: stable across processes, unlike string.GetHashCode.
        var hash = 2166136261u;
        foreach (var c in key + "#" + attempt.ToString(CultureInfo.InvariantCulture))
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash % 100 < (uint)percent;
    }

    public ValueTask DisposeAsync() => LoopbackBackend.StopAsync(_app);

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        await context.Request.Body.CopyToAsync(Stream.Null);
        var parts = (context.Request.Path.Value ?? "/").Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (parts)
        {
            case ["flaky", var percent]:
                var key = context.Request.Headers["x-key"].ToString();
                var attempt = _triesByKey.AddOrUpdate(key, 0, (_, n) => n + 1);
                context.Response.StatusCode = Fails(key, attempt, int.Parse(percent, CultureInfo.InvariantCulture)) ? 503 : 200;
                break;
            case ["status", var code]:
                context.Response.StatusCode = int.Parse(code, CultureInfo.InvariantCulture);
                break;
            case ["reset"]:
                context.Abort();
                return;
            case ["reset-mid-body"]:
                // Headers and the first bytes go out; the reset waits until the test has seen them arrive at the client,
                // so that it is a reset after response bytes, not before.
                context.Response.ContentLength = 1000;
                await context.Response.WriteAsync("partial");
                await context.Response.Body.FlushAsync();
                await _resetMidBody.Task.WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { }, TaskScheduler.Default);
                context.Abort();
                return;
            case ["slow", var ms]:
                await Task.Delay(int.Parse(ms, CultureInfo.InvariantCulture), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                break;
            case ["slow-first", var ms] when Interlocked.Exchange(ref _slowTaken, 1) == 0:
                try
                {
                    await Task.Delay(int.Parse(ms, CultureInfo.InvariantCulture), context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    _slowAborted.TrySetResult(true);
                    return;
                }

                _slowAborted.TrySetResult(false);
                break;
        }

        await context.Response.WriteAsync("ok");
    }
}
