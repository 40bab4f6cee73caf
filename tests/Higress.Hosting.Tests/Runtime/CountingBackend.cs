using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Higress.Hosting.Tests.Runtime;

/// <summary>
/// A real Kestrel backend (no body limit) that reads each request body to its end, checking every byte against
/// <see cref="PatternContent"/>'s pattern, and records whether the body arrived complete or its read failed.
/// </summary>
internal sealed class CountingBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource<BodyOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private CountingBackend(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The first request's outcome.</summary>
    public Task<BodyOutcome> Outcome => _outcome.Task;

    public static Task<CountingBackend> StartAsync() =>
        LoopbackBackend.StartAsync((app, port) => new CountingBackend(app, port), b => b.ReadAsync, k => k.Limits.MaxRequestBodySize = null);

    public ValueTask DisposeAsync() => LoopbackBackend.StopAsync(_app);

    private async Task ReadAsync(HttpContext context)
    {
        var buffer = new byte[PatternContent.Block.Length];
        long count = 0;
        var intact = true;
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer)) > 0)
            {
                intact &= buffer.AsSpan(0, read).SequenceEqual(PatternContent.Expected(count, read));
                count += read;
            }
        }
        catch (Exception ex) when (ex is IOException or BadHttpRequestException or OperationCanceledException)
        {
            _outcome.TrySetResult(new BodyOutcome(count, Complete: false, intact));
            return;
        }

        _outcome.TrySetResult(new BodyOutcome(count, Complete: true, intact));
        await context.Response.WriteAsync(count.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>What a backend saw of a request body.</summary>
/// <param name="Bytes">Bytes read.</param>
/// <param name="Complete">The body ended normally (false: the read failed, the request was aborted).</param>
/// <param name="Intact">Every byte read matched the pattern.</param>
internal sealed record BodyOutcome(long Bytes, bool Complete, bool Intact);

/// <summary>A request body of any length, generated on the fly (byte i is i mod 251), never held in memory.</summary>
internal sealed class PatternContent(long length, bool chunked) : HttpContent
{
    /// <summary>A whole number of pattern periods, so that consecutive blocks continue the pattern.</summary>
    public static readonly byte[] Block = Enumerable.Range(0, 251 * 261).Select(i => (byte)(i % 251)).ToArray();

    private static readonly byte[] Reference = Enumerable.Range(0, Block.Length + 251).Select(i => (byte)(i % 251)).ToArray();

    /// <summary>The bytes expected at <paramref name="offset"/>, for a read of at most <see cref="Block"/>'s length.</summary>
    public static ReadOnlySpan<byte> Expected(long offset, int count) => Reference.AsSpan((int)(offset % 251), count);

    protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
    {
        for (long sent = 0; sent < length;)
        {
            var n = (int)Math.Min(Block.Length, length - sent);
            await stream.WriteAsync(Block.AsMemory(0, n));
            sent += n;
        }
    }

    protected override bool TryComputeLength(out long length1)
    {
        length1 = length;
        return !chunked;
    }
}
