using System.Net;
using System.Net.Http.Headers;
using Higress.Core.Diagnostics;
using Higress.Opa;
using Microsoft.Extensions.Logging;

namespace Higress.Core.Plugins.BuiltIn.Opa;

/// <summary>
/// The embedded policy of one <c>opa</c> instance, kept current: compiled once from inline text, or loaded from a
/// <c>directory</c> or <c>bundle</c> file (watched) or a bundle URL (polled with <c>ETag</c>). Every reload compiles on a
/// timer thread, never on a request, and swaps <see cref="Current"/> in one reference write, so a request decides
/// wholly on the old or wholly on the new policy. A reload that fails is logged with file, line and column, reported to
/// <see cref="PluginRuntimeReports"/> (<c>/config_dump</c>, the object's status) and leaves the previous policy deciding.
/// </summary>
internal sealed partial class OpaPolicySource : IDisposable
{
    // Editors and copy tools write a file in several steps: one reload after the burst, not one per event.
    internal static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(150);

    private const int MaxBundleBytes = 64 * 1024 * 1024;

    private readonly OpaConfig _config;
    private readonly IHttpClientFactory _httpClients;
    private readonly ILogger _logger;
    private readonly PluginRuntimeReports _reports;
    private readonly Lock _reloading = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly FileSystemWatcher? _watcher;
    private readonly ITimer? _timer;
    private readonly Uri? _bundleUri;
    private readonly string _field;
    private volatile OpaPolicy? _current;
    private string? _etag;
    private int _loads;

    public OpaPolicySource(OpaConfig config, IHttpClientFactory httpClients, TimeProvider time, ILogger logger, PluginRuntimeReports reports)
    {
        _config = config;
        _httpClients = httpClients;
        _logger = logger;
        _reports = reports;
        _field = config.Directory is not null ? "directory" : config.Bundle is not null ? "bundle" : "rego";
        if (config.InlinePolicy is { } inline)
        {
            _current = OpaPolicy.From(inline, config.Path, "inline");
            _firstAttempt.SetResult();
            return;
        }

        if (config.Bundle is { } bundle && OpaConfigValidator.IsUrl(bundle, out _bundleUri))
        {
            _timer = time.CreateTimer(static s => ((OpaPolicySource)s!).Poll(), this, TimeSpan.Zero, config.BundlePollingInterval);
            return;
        }

        var watched = config.Directory ?? config.Bundle!;
        // The first load happens while the plan is applied (off the request path); later ones on file changes.
        Reload();
        _timer = time.CreateTimer(static s => ((OpaPolicySource)s!).Reload(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _watcher = Watch(watched, config.Directory is not null);
    }

    /// <summary>The policy that decides now, or null while none has loaded (requests then fail per fail strategy).</summary>
    public OpaPolicy? Current => _current;

    /// <summary>Why the last load failed, or null after a successful one.</summary>
    public string? LastError { get; private set; }

    /// <summary>Completes after the first load attempt (successful or not).</summary>
    public Task FirstAttempt => _firstAttempt.Task;

    public void Dispose()
    {
        _stopping.Cancel();
        _watcher?.Dispose();
        _timer?.Dispose();
        _reports.Clear(_config.Owner, _field);
        _stopping.Dispose();
    }

    private FileSystemWatcher? Watch(string path, bool isDirectory)
    {
        try
        {
            var full = Path.GetFullPath(path);
            var watcher = isDirectory
                ? new FileSystemWatcher(full) { IncludeSubdirectories = true }
                : new FileSystemWatcher(Path.GetDirectoryName(full)!, Path.GetFileName(full));
            watcher.NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size;
            watcher.Changed += OnFileEvent;
            watcher.Created += OnFileEvent;
            watcher.Deleted += OnFileEvent;
            watcher.Renamed += OnFileEvent;
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            Fail($"cannot watch '{path}' for changes: {ex.Message}");
            return null;
        }
    }

    private void OnFileEvent(object sender, FileSystemEventArgs e)
    {
        if (!_stopping.IsCancellationRequested)
        {
            _timer?.Change(Debounce, Timeout.InfiniteTimeSpan);
        }
    }

    private void Reload()
    {
        lock (_reloading)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            var revision = $"{_field} load {Interlocked.Increment(ref _loads)}";
            var directory = _config.Directory;
            var bundle = _config.Bundle;
            Load(revision, compiler =>
            {
                if (directory is not null)
                {
                    compiler.LoadDirectory(directory);
                }
                else
                {
                    using var stream = File.OpenRead(bundle!);
                    compiler.LoadBundle(stream);
                }
            });
        }
    }

    private void Poll() => _ = PollAsync();

    private async Task PollAsync()
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, _bundleUri);
            if (_etag is { } etag)
            {
                request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(etag));
            }

            var client = _httpClients.CreateClient(OpaPlugin.PluginName);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _stopping.Token).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotModified)
            {
                return;
            }

            if (!response.IsSuccessStatusCode)
            {
                Fail($"GET {_bundleUri} answered {(int)response.StatusCode}");
                return;
            }

            if (response.Content.Headers.ContentLength > MaxBundleBytes)
            {
                Fail($"GET {_bundleUri}: the bundle is larger than {MaxBundleBytes} bytes");
                return;
            }

            var buffer = new MemoryStream();
            await response.Content.CopyToAsync(buffer, _stopping.Token).ConfigureAwait(false);
            buffer.Position = 0;
            var newTag = response.Headers.ETag?.ToString();
            lock (_reloading)
            {
                if (Load($"bundle {newTag ?? "load " + Interlocked.Increment(ref _loads)}", compiler => compiler.LoadBundle(buffer)))
                {
                    _etag = newTag;
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            Fail($"GET {_bundleUri} failed: {ex.Message}");
        }
        finally
        {
            _firstAttempt.TrySetResult();
        }
    }

    private bool Load(string revision, Action<PolicyCompiler> load)
    {
        try
        {
            var policy = OpaPolicy.Compile(load, _config.Path, revision);
            _current = policy;
            LastError = null;
            _reports.Clear(_config.Owner, _field);
            Log.PolicyLoaded(_logger, _config.Owner, _field, revision);
            return true;
        }
        catch (RegoException ex)
        {
            Fail(OpaPolicy.Describe(ex));
            return false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or FormatException or ArgumentException)
        {
            Fail($"{ex.GetType().Name}: {ex.Message}");
            return false;
        }
        finally
        {
            _firstAttempt.TrySetResult();
        }
    }

    private void Fail(string problem)
    {
        LastError = problem;
        var keeps = _current is null ? "no policy has loaded yet, so decisions fail per the fail strategy" : "the previous policy keeps deciding";
        Log.PolicyLoadFailed(_logger, _config.Owner, _field, problem, keeps);
        _reports.Report(_config.Owner, _field, "spec.config." + _field, $"the policy failed to load: {problem}; {keeps}", "fix the policy files; they are read again on the next change");
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.OpaPolicyLoaded, Level = LogLevel.Information, Message = "opa {Owner}: the {Source} policy loaded ({Revision}) and now decides.")]
        public static partial void PolicyLoaded(ILogger logger, string owner, string source, string revision);

        [LoggerMessage(EventId = EventIds.OpaPolicyLoadFailed, Level = LogLevel.Error, Message = "opa {Owner}: the {Source} policy failed to load: {Problem}; {Consequence}.")]
        public static partial void PolicyLoadFailed(ILogger logger, string owner, string source, string problem, string consequence);
    }
}
