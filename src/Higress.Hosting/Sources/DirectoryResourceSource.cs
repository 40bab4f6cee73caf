using Higress.Core.Diagnostics;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;
using Higress.Core.Resources.Sources;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Primitives;

namespace Higress.Hosting.Sources;

/// <summary>
/// Reads every <c>*.yaml</c>, <c>*.yml</c> and <c>*.json</c> file under a directory (recursively, in relative-path
/// order so read order is deterministic) and reloads the whole set atomically when anything changes. Changes are
/// seen by a <see cref="FileSystemWatcher"/> and, as a fallback for file systems that do not raise events
/// (network shares, some container mounts, Kubernetes ConfigMap symlink swaps), by polling file sizes and times.
/// Bursts of changes are debounced. A file caught mid-write (in place, as editors and <c>kubectl cp</c> write) keeps its
/// last good objects until it has settled; an unreadable folder keeps those of its files; each real directory is read
/// once, however many symbolic links lead to it.
/// </summary>
internal sealed partial class DirectoryResourceSource : IResourceSource, IDisposable
{
    /// <summary>How long a file that turned empty must stay so before its objects count as deleted.</summary>
    private static readonly TimeSpan RemovalQuiet = TimeSpan.FromSeconds(1);

    private readonly string _root;
    private readonly TimeSpan _debounce;
    private readonly TimeSpan _maxDelay;
    private long _burstStart;
    private readonly TimeSpan _settle;
    private readonly HigressLimitsOptions _limits;
    private readonly Func<string, IEnumerable<FileSystemInfo>>? _listDirectory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ChangeSignal _signal = new();
    private readonly ITimer _debounceTimer;
    private readonly ITimer _pollTimer;
    private readonly Lock _reloadLock = new();
    private FileSystemWatcher? _watcher;
    private string _fingerprint = string.Empty;
    private SourceContent _current = SourceContent.Empty;
    private Dictionary<string, FileEntry> _files = new(StringComparer.Ordinal);
    private bool _disposed;

    /// <param name="directory">The directory to read.</param>
    /// <param name="debounce">The quiet time after a change event before the directory is read again (default 50 ms).</param>
    /// <param name="pollInterval">How often file sizes and times are polled, for file systems without events.</param>
    /// <param name="timeProvider">The clock and timers.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="name">The source's name.</param>
    /// <param name="limits">Size limits on files and objects; the defaults when null.</param>
    /// <param name="settle">How long a changed file's size and write time must be still before it is read (default 50 ms).</param>
    /// <param name="listDirectory">Lists one directory (a seam for tests: root can read any folder).</param>
    /// <param name="maxDelay">The longest a stream of change events may postpone a read (default 1 s).</param>
    public DirectoryResourceSource(
        string directory,
        TimeSpan? debounce = null,
        TimeSpan? pollInterval = null,
        TimeProvider? timeProvider = null,
        ILogger? logger = null,
        string name = "directory",
        HigressLimitsOptions? limits = null,
        TimeSpan? settle = null,
        Func<string, IEnumerable<FileSystemInfo>>? listDirectory = null,
        TimeSpan? maxDelay = null)
    {
        Name = name;
        _maxDelay = maxDelay ?? TimeSpan.FromSeconds(1);
        _root = Path.GetFullPath(directory);
        _debounce = debounce ?? TimeSpan.FromMilliseconds(50);
        _settle = settle ?? TimeSpan.FromMilliseconds(50);
        _limits = limits ?? new HigressLimitsOptions();
        _listDirectory = listDirectory;
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _debounceTimer = _time.CreateTimer(_ => Reload(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        var poll = pollInterval ?? TimeSpan.FromSeconds(2);
        _pollTimer = _time.CreateTimer(_ => Poll(), null, poll, poll);
        Reload();
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The directory read, as a full path.</summary>
    public string Root => _root;

    /// <inheritdoc />
    public SourceContent Current => Volatile.Read(ref _current);

    /// <inheritdoc />
    public IChangeToken GetChangeToken() => _signal.GetToken();

    /// <summary>Reads the directory now; fires the change token when the content differs from the last read.</summary>
    public void Reload()
    {
        lock (_reloadLock)
        {
            if (_disposed)
            {
                return;
            }

            Interlocked.Exchange(ref _burstStart, 0);
            EnsureWatcher();
            var (content, fingerprint) = Read();
            _fingerprint = fingerprint;
            if (content == _current)
            {
                return;
            }

            Volatile.Write(ref _current, content);
            Log.Reloaded(_logger, _root, content.Resources.Count, content.Diagnostics.Count(d => d.IsError));
        }

        _signal.Fire();
    }

    public void Dispose()
    {
        lock (_reloadLock)
        {
            _disposed = true;
            _watcher?.Dispose();
            _debounceTimer.Dispose();
            _pollTimer.Dispose();
        }

        _signal.Dispose();
    }

    /// <summary>
    /// Reads the directory once change events have paused for the debounce, but no later than the ceiling after the
    /// first event of a burst: a script or editor writing every 100 ms must not postpone every read.
    /// </summary>
    private void ScheduleReload()
    {
        var now = _time.GetTimestamp();
        var start = Interlocked.CompareExchange(ref _burstStart, now, 0);
        var left = _maxDelay - (start == 0 ? TimeSpan.Zero : _time.GetElapsedTime(start, now));
        var due = left < _debounce ? (left > TimeSpan.Zero ? left : TimeSpan.Zero) : _debounce;
        _debounceTimer.Change(due, Timeout.InfiniteTimeSpan);
    }

    private void Poll()
    {
        string fingerprint;
        try
        {
            fingerprint = Fingerprint(ListFiles());
        }
        catch (IOException)
        {
            return;
        }

        if (fingerprint != Volatile.Read(ref _fingerprint))
        {
            ScheduleReload();
        }
    }

    private (SourceContent Content, string Fingerprint) Read()
    {
        if (!Directory.Exists(_root))
        {
            _files.Clear();
            var missing = new ConfigDiagnostic(DiagnosticSeverity.Warning, _root, string.Empty, "the configuration directory does not exist (yet); it is polled", "create it or fix Higress:ConfigDir", _root);
            return (new SourceContent([], [missing]), string.Empty);
        }

        var walk = DirectoryWalk.Run(_root, _listDirectory);
        var files = new Dictionary<string, FileEntry>(StringComparer.Ordinal);
        var unsettled = false;
        foreach (var (relative, full) in walk.Files)
        {
            _files.TryGetValue(relative, out var previous);
            var entry = ReadFile(relative, full, previous);
            unsettled |= entry is { Settled: false };
            if (entry is not null)
            {
                files[relative] = entry;
            }
        }

        // An unreadable folder is not an empty one: its files keep their last good objects.
        foreach (var folder in walk.Unreadable)
        {
            foreach (var (relative, entry) in _files)
            {
                if (relative.StartsWith(folder, StringComparison.Ordinal))
                {
                    files.TryAdd(relative, entry);
                }
            }
        }

        _files = files;
        if (unsettled)
        {
            // A file was caught being written: look again once it has had time to settle.
            _debounceTimer.Change(_settle, Timeout.InfiniteTimeSpan);
        }

        var ordered = files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Value).ToList();
        var content = new SourceContent(
            [.. ordered.SelectMany(f => f.Resources)],
            [.. walk.Diagnostics, .. ordered.SelectMany(f => f.Diagnostics)]);
        return (content, Fingerprint(walk.Files));
    }

    private List<(string Relative, string Full)> ListFiles() =>
        Directory.Exists(_root) ? DirectoryWalk.Run(_root, _listDirectory).Files : [];

    private static string Fingerprint(List<(string Relative, string Full)> files) =>
        string.Join('\n', files.Select(f => FileStamp.Of(f.Full) is { } stamp ? $"{f.Relative}|{stamp}" : f.Relative));
    /// <summary>
    /// Reads one file unless it is unchanged (same size and write time) or still being written. A changed file is read
    /// once its size and write time have been still for the settle time; until then, and whenever it changes while
    /// being read, its last good objects stay. A read that would delete some of its objects (an emptied file, or one cut
    /// short) counts only once the file has stayed so for <see cref="RemovalQuiet"/>: an in-place write truncates first.
    /// </summary>
    private FileEntry? ReadFile(string relative, string full, FileEntry? previous)
    {
        if (FileStamp.Of(full) is not { } stamp)
        {
            return null;
        }

        if (previous is not null && previous.Stamp == stamp)
        {
            return previous.Settled ? previous : previous with { Pending = null };
        }

        if (ConfigurationLimits.CheckFileSize(relative, stamp.Length, _limits) is { } tooLarge)
        {
            return new FileEntry(stamp, [], [tooLarge]);
        }

        if (previous is not null && !IsStill(stamp, previous, _settle))
        {
            return Unsettled(previous, stamp);
        }

        var text = ReadWithRetry(full, relative, out var unreadable);
        if (text is null)
        {
            return unreadable is null ? null : new FileEntry(stamp, [], [unreadable]);
        }

        if (FileStamp.Of(full) != stamp)
        {
            return Unsettled(previous ?? new FileEntry(default, [], []), stamp);
        }

        var parsed = ConfigurationLimits.CheckParsed(relative, ResourceParser.Parse(text, new ResourceOrigin(Name, relative, 0, 0)), _limits);

        // A read that would delete objects may be a file caught mid-write (truncated, or cut at a document boundary,
        // so that it still parses): the objects go only once the file has stayed that way for a while.
        if (previous is { Resources.Count: > 0 } && LosesObjects(previous.Resources, parsed.Resources) && !IsStill(stamp, previous, RemovalQuiet))
        {
            Log.RemovalHeld(_logger, relative);
            return Unsettled(previous, stamp);
        }

        return new FileEntry(stamp, [.. parsed.Resources], [.. parsed.Diagnostics]);
    }

    private static bool LosesObjects(IReadOnlyList<Resource> before, IReadOnlyList<Resource> after)
    {
        var kept = after.Select(r => r.Key).ToHashSet();
        return before.Any(r => !kept.Contains(r.Key));
    }

    /// <summary>True when the file has not changed for <paramref name="quiet"/>: by its write time, or (for a clock
    /// that disagrees with the file system's) by how long this stamp has been seen.</summary>
    private bool IsStill(FileStamp stamp, FileEntry previous, TimeSpan quiet) =>
        _time.GetUtcNow().UtcDateTime - stamp.LastWriteUtc >= quiet
        || (previous.Pending == stamp && _time.GetElapsedTime(previous.PendingSince) >= quiet);

    private FileEntry Unsettled(FileEntry previous, FileStamp stamp) =>
        previous.Pending == stamp ? previous : previous with { Pending = stamp, PendingSince = _time.GetTimestamp() };

    private static string? ReadWithRetry(string path, string relative, out ConfigDiagnostic? unreadable)
    {
        unreadable = null;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return File.ReadAllText(path);
            }
            catch (FileNotFoundException)
            {
                return null;
            }
            catch (IOException ex) when (attempt < 3)
            {
                _ = ex;
                Thread.Sleep(50);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                unreadable = new ConfigDiagnostic(DiagnosticSeverity.Error, relative, string.Empty, $"cannot read the file: {ex.Message}", "check the file's permissions", relative);
                return null;
            }
        }
    }

    private void EnsureWatcher()
    {
        if (_watcher is not null || !Directory.Exists(_root))
        {
            return;
        }

        try
        {
            var watcher = new FileSystemWatcher(_root)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            watcher.Changed += (_, _) => ScheduleReload();
            watcher.Created += (_, _) => ScheduleReload();
            watcher.Deleted += (_, _) => ScheduleReload();
            watcher.Renamed += (_, _) => ScheduleReload();
            watcher.Error += (_, e) =>
            {
                Log.WatcherFailed(_logger, _root, e.GetException());
                ScheduleReload();
            };
            watcher.EnableRaisingEvents = true;
            _watcher = watcher;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException)
        {
            // Polling still sees changes.
            Log.WatcherFailed(_logger, _root, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.DirectoryRead, Level = LogLevel.Information, Message = "Read {Count} objects from {Directory} ({Errors} errors)")]
        public static partial void Reloaded(ILogger logger, string directory, int count, int errors);

        [LoggerMessage(EventId = EventIds.DirectoryWatchFailed, Level = LogLevel.Warning, Message = "Watching {Directory} failed; falling back to polling")]
        public static partial void WatcherFailed(ILogger logger, string directory, Exception exception);

        [LoggerMessage(EventId = EventIds.EmptyFileHeld, Level = LogLevel.Debug, Message = "{File} was read without some of its objects while it was being written; they stay until the file stays that way")]
        public static partial void RemovalHeld(ILogger logger, string file);
    }
}
