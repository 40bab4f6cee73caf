using System.Text;
using Higress.Hosting.AccessLog;
using Higress.Hosting.Tests.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace Higress.Hosting.Tests.AccessLog;

/// <summary>
/// An access log sink that keeps the lines in memory, for a <see cref="LoopbackGateway"/> started with
/// <see cref="StartGatewayAsync"/>. With <c>blocked</c>, every write waits until <see cref="Release"/> (a disk or
/// pipe that stopped taking data), so the writer falls behind.
/// </summary>
internal sealed class CapturedAccessLog(bool blocked = false) : AccessLogSink
{
    private readonly CaptureStream _stream = new(blocked);

    /// <summary>The complete lines written so far.</summary>
    public IReadOnlyList<string> Lines => _stream.Lines();

    /// <summary>Starts a gateway whose access log (with <paramref name="settings"/>) writes here.</summary>
    public Task<LoopbackGateway> StartGatewayAsync(Action<Hosting.Sources.ResourceBuilder> resources, IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?> { ["Higress:AccessLog:Path"] = "memory" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return LoopbackGateway.StartAsync(resources, all, higress => higress.Services.AddSingleton<AccessLogSink>(this));
    }

    public override Stream Open(string path) => _stream;

    /// <summary>Waits (at most 10 s) until at least <paramref name="count"/> lines were written; returns them all.</summary>
    public async Task<IReadOnlyList<string>> WaitForLinesAsync(int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        for (var attempt = 0; attempt < 500 && DateTime.UtcNow < deadline; attempt++)
        {
            if (Lines.Count >= count)
            {
                break;
            }

            await Task.Delay(20);
        }

        return Lines;
    }

    /// <summary>Lets a blocked sink's writes through.</summary>
    public void Release() => _stream.Release();

    private sealed class CaptureStream(bool blocked) : Stream
    {
        private readonly MemoryStream _bytes = new();
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Lock _lock = new();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public List<string> Lines()
        {
            lock (_lock)
            {
                var text = Encoding.UTF8.GetString(_bytes.GetBuffer(), 0, (int)_bytes.Length);
                var lines = text.Split('\n').ToList();
                lines.RemoveAt(lines.Count - 1); // the unfinished rest after the last newline
                return lines;
            }
        }

        public void Release() => _released.TrySetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (blocked)
            {
                await _released.Task.WaitAsync(cancellationToken);
            }

            lock (_lock)
            {
                _bytes.Write(buffer.Span);
            }
        }

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
