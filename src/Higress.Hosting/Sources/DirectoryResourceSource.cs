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
/// Bursts of changes are debounced.
/// </summary>
internal sealed partial class DirectoryResourceSource : IResourceSource, IDisposable
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    private readonly string _root;
    private readonly TimeSpan _debounce;
    private readonly ILogger _logger;
    private readonly ChangeSignal _signal = new();
    private readonly ITimer _debounceTimer;
    private readonly ITimer _pollTimer;
    private readonly Lock _reloadLock = new();
    private FileSystemWatcher? _watcher;
    private string _fingerprint = string.Empty;
    private SourceContent _current = SourceContent.Empty;
    private bool _disposed;

    public DirectoryResourceSource(string directory, TimeSpan? debounce = null, TimeSpan? pollInterval = null, TimeProvider? timeProvider = null, ILogger? logger = null, string name = "directory")
    {
        Name = name;
        _root = Path.GetFullPath(directory);
        _debounce = debounce ?? TimeSpan.FromMilliseconds(200);
        _logger = logger ?? NullLogger.Instance;
        var time = timeProvider ?? TimeProvider.System;
        _debounceTimer = time.CreateTimer(_ => Reload(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        var poll = pollInterval ?? TimeSpan.FromSeconds(2);
        _pollTimer = time.CreateTimer(_ => Poll(), null, poll, poll);
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

    private void ScheduleReload() => _debounceTimer.Change(_debounce, Timeout.InfiniteTimeSpan);

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
            var missing = new ConfigDiagnostic(DiagnosticSeverity.Warning, _root, string.Empty, "the configuration directory does not exist (yet); it is polled", "create it or fix Higress:ConfigDir", _root);
            return (new SourceContent([], [missing]), string.Empty);
        }

        var files = ListFiles();
        var resources = new List<Resource>();
        var diagnostics = new List<ConfigDiagnostic>();
        foreach (var (relative, full) in files)
        {
            var text = ReadWithRetry(full, relative, diagnostics);
            if (text is null)
            {
                continue;
            }

            var result = ResourceParser.Parse(text, new ResourceOrigin(Name, relative, 0, 0));
            resources.AddRange(result.Resources);
            diagnostics.AddRange(result.Diagnostics);
        }

        return (new SourceContent([.. resources], [.. diagnostics]), Fingerprint(files));
    }

    private List<(string Relative, string Full)> ListFiles()
    {
        if (!Directory.Exists(_root))
        {
            return [];
        }

        return Directory.EnumerateFiles(_root, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System })
            .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Select(f => (Relative: Path.GetRelativePath(_root, f).Replace('\\', '/'), Full: f))
            .Where(f => !f.Relative.Split('/').Any(part => part.StartsWith('.')))
            .OrderBy(f => f.Relative, StringComparer.Ordinal)
            .ToList();
    }

    private static string Fingerprint(List<(string Relative, string Full)> files) =>
        string.Join('\n', files.Select(f =>
        {
            var info = new FileInfo(f.Full);
            return info.Exists ? $"{f.Relative}|{info.Length}|{info.LastWriteTimeUtc.Ticks}" : f.Relative;
        }));

    private static string? ReadWithRetry(string path, string relative, List<ConfigDiagnostic> diagnostics)
    {
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
                diagnostics.Add(new ConfigDiagnostic(DiagnosticSeverity.Error, relative, string.Empty, $"cannot read the file: {ex.Message}", "check the file's permissions", relative));
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
        [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Read {Count} objects from {Directory} ({Errors} errors)")]
        public static partial void Reloaded(ILogger logger, string directory, int count, int errors);

        [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Watching {Directory} failed; falling back to polling")]
        public static partial void WatcherFailed(ILogger logger, string directory, Exception exception);
    }
}
