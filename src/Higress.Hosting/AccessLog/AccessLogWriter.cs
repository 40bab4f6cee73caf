using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Higress.Core.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Higress.Hosting.AccessLog;

/// <summary>
/// Writes access log lines on a thread of its own. Requests hand their records over through a bounded queue
/// (<c>Higress:AccessLog:QueueSize</c>) and never wait: when the queue is full, the record is dropped and counted in
/// <c>higress_access_log_dropped_total</c>. Lines are written in batches and flushed whenever the queue runs empty.
/// </summary>
internal sealed partial class AccessLogWriter : IHostedService, IDisposable
{
    private const int BatchBytes = 32 * 1024;
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(2);

    private readonly HigressAccessLogOptions _options;
    private readonly AccessLogSink _sink;
    private readonly ILogger _logger;
    private readonly Channel<AccessLogRecord> _queue;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _written;
    private readonly CancellationTokenSource _stopping = new();
    private long _droppedCount;
    private int _disposed;
    private Task _loop = Task.CompletedTask;

    public AccessLogWriter(IOptions<HigressOptions> options, AccessLogSink sink, HigressMeter meter, ILogger<AccessLogWriter> logger)
    {
        _options = options.Value.AccessLog;
        _sink = sink;
        _logger = logger;
        _queue = Channel.CreateBounded<AccessLogRecord>(new BoundedChannelOptions(Math.Max(1, _options.QueueSize))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _dropped = meter.Meter.CreateCounter<long>(MetricNames.AccessLogDropped, "{line}", "Access log lines dropped because the writer fell behind and the queue was full");
        _written = meter.Meter.CreateCounter<long>(MetricNames.AccessLogLines, "{line}", "Access log lines written");
    }

    /// <summary>True when <c>Higress:AccessLog:Path</c> is set.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(_options.Path);

    /// <summary>Lines dropped since the start.</summary>
    public long Dropped => Interlocked.Read(ref _droppedCount);

    /// <summary>Queues a completed record; never blocks. Drops and counts it when the queue is full.</summary>
    public void Enqueue(AccessLogRecord record)
    {
        if (_queue.Writer.TryWrite(record))
        {
            return;
        }

        _dropped.Add(1);
        var dropped = Interlocked.Increment(ref _droppedCount);

        // Logged at 1, 2, 4, 8, ... drops: a writer that stays behind is reported without flooding the log.
        if ((dropped & (dropped - 1)) == 0)
        {
            Log.LinesDropped(_logger, dropped, _options.QueueSize);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (Enabled)
        {
            Log.Opened(_logger, _options.Path!, _options.Format, _options.SampleRatio);
            _loop = Task.Run(RunAsync, CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    /// <summary>Writes what is queued, then stops; a writer still stuck after a short grace is cancelled.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await Task.WhenAny(_loop, Task.Delay(StopGrace, cancellationToken)).ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAny(_loop, Task.Delay(StopGrace, CancellationToken.None)).ConfigureAwait(false);
    }

    // The container disposes it twice: as itself and as the hosted service made from it.
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _queue.Writer.TryComplete();
            _stopping.Cancel();
            _stopping.Dispose();
        }
    }

    private async Task RunAsync()
    {
        var token = _stopping.Token;
        var formatter = new AccessLogFormatter(_options.Format);
        var reader = _queue.Reader;
        Stream stream;
        try
        {
            stream = _sink.Open(_options.Path!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            Log.WriteFailed(_logger, ex, _options.Path!);
            return;
        }

        await using (stream.ConfigureAwait(false))
        {
            try
            {
                while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
                {
                    var lines = 0;
                    while (reader.TryRead(out var record))
                    {
                        formatter.Append(record);
                        lines++;
                        if (formatter.Written.Length >= BatchBytes)
                        {
                            await WriteAsync(stream, formatter, lines, token).ConfigureAwait(false);
                            lines = 0;
                        }
                    }

                    await WriteAsync(stream, formatter, lines, token).ConfigureAwait(false);
                    await stream.FlushAsync(token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // Stopped while the stream was stuck: what is left is lost, as on a crash.
            }
        }
    }

    private async Task WriteAsync(Stream stream, AccessLogFormatter formatter, int lines, CancellationToken token)
    {
        if (lines == 0)
        {
            return;
        }

        try
        {
            await stream.WriteAsync(formatter.Written, token).ConfigureAwait(false);
            _written.Add(lines);
        }
        catch (IOException ex)
        {
            // A full disk or a closed pipe loses these lines, not the writer: the next batch tries again.
            _dropped.Add(lines);
            Interlocked.Add(ref _droppedCount, lines);
            Log.WriteFailed(_logger, ex, _options.Path!);
        }
        finally
        {
            formatter.Clear();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.AccessLogWriteFailed, Level = LogLevel.Error, Message = "Access log {Path}: writing failed; the lines of this batch are lost and counted as dropped")]
        public static partial void WriteFailed(ILogger logger, Exception exception, string path);

        [LoggerMessage(EventId = EventIds.AccessLogDropped, Level = LogLevel.Warning, Message = "Access log: the writer fell behind and the queue of {QueueSize} lines was full; {Dropped} lines dropped so far (higress_access_log_dropped_total). Write to a faster disk, lower Higress:AccessLog:SampleRatio or raise Higress:AccessLog:QueueSize")]
        public static partial void LinesDropped(ILogger logger, long dropped, int queueSize);

        [LoggerMessage(EventId = EventIds.AccessLogOpened, Level = LogLevel.Information, Message = "Access log: writing {Format} lines to {Path}, sample ratio {SampleRatio}")]
        public static partial void Opened(ILogger logger, string path, AccessLogFormat format, double sampleRatio);
    }
}
