using Higress.Core.Diagnostics;
using Higress.Core.Resources;
using Higress.Core.Resources.Sources;
using Higress.Hosting.Sources;
using Higress.Kubernetes.Watching;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Primitives;

namespace Higress.Kubernetes;

/// <summary>
/// The cluster as a source: one <see cref="KindWatcher"/> per watched kind (and per namespace when
/// <see cref="KubernetesOptions.Namespaces"/> lists some). Until every watcher has listed once, <see cref="Current"/>
/// stays empty, so a half-listed cluster never becomes a plan; after that each change fires the change token, and the
/// configuration loop's debounce turns a burst of events into one plan. <see cref="Current"/> is built lazily, once
/// per burst, when the loop reads it.
/// </summary>
internal sealed partial class KubernetesResourceSource : IResourceSource, IDisposable
{
    private readonly List<KindWatcher> _watchers = [];
    private readonly ChangeSignal _signal = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly KubeApi? _api;
    private SourceContent _current = SourceContent.Empty;
    private bool _dirty;
    private long _changes;
    private bool _synced;
    private int _disposed;

    /// <param name="options">What to watch.</param>
    /// <param name="api">The API client; null when the source is disabled.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="timeProvider">The clock for backoff, resync and the watchdog.</param>
    public KubernetesResourceSource(KubernetesOptions options, KubeApi? api, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        _logger = logger ?? NullLogger.Instance;
        _api = api;
        if (api is null)
        {
            _synced = true;
            return;
        }

        var time = timeProvider ?? TimeProvider.System;
        var namespaces = options.Namespaces.Where(n => !string.IsNullOrWhiteSpace(n)).Distinct(StringComparer.Ordinal).ToList();
        foreach (var kind in WatchedKind.All)
        {
            var selector = kind.Kind == "Secret" ? options.SecretLabelSelector : null;
            foreach (var ns in kind.Namespaced && namespaces.Count > 0 ? namespaces.Cast<string?>() : [null])
            {
                _watchers.Add(new KindWatcher(api, kind, ns, selector, options, OnChanged, _logger, time));
            }
        }

        foreach (var watcher in _watchers)
        {
            _ = Task.Run(() => watcher.RunAsync(_stopping.Token));
        }
    }

    /// <inheritdoc />
    public string Name => "kubernetes";

    /// <inheritdoc />
    public bool HasSynced => Volatile.Read(ref _synced);

    /// <summary>How many times the change token has fired (each change that matters to the plan, after the first sync).</summary>
    public long Changes => Interlocked.Read(ref _changes);

    /// <summary>The watchers: the status writer reads the objects they hold, tests their re-list counts.</summary>
    internal IReadOnlyList<KindWatcher> Watchers => _watchers;

    /// <summary>The API client; null when the source is disabled.</summary>
    internal KubeApi? Api => _api;

    /// <summary>Changes with every change to the objects held, status-only changes included.</summary>
    internal long Revision => _watchers.Sum(w => w.Revision);

    /// <inheritdoc />
    public SourceContent Current
    {
        get
        {
            lock (_lock)
            {
                if (_dirty)
                {
                    _dirty = false;
                    _current = Build();
                }

                return _current;
            }
        }
    }

    /// <inheritdoc />
    public IChangeToken GetChangeToken() => _signal.GetToken();

    public void Dispose()
    {
        // Registered as itself and as IResourceSource: the container may dispose it twice.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stopping.Cancel();
        _stopping.Dispose();
        _api?.Dispose();
        _signal.Dispose();
    }

    private void OnChanged()
    {
        lock (_lock)
        {
            if (!_synced)
            {
                if (!_watchers.TrueForAll(w => w.HasListed))
                {
                    return;
                }

                _synced = true;
                Log.Synced(_logger, _watchers.Count);
            }

            _dirty = true;
            Interlocked.Increment(ref _changes);
        }

        try
        {
            _signal.Fire();
        }
        catch (ObjectDisposedException)
        {
            // A watcher's last event raced with shutdown.
        }
    }

    private SourceContent Build()
    {
        var resources = new List<Resource>();
        var diagnostics = new List<ConfigDiagnostic>();
        foreach (var watcher in _watchers)
        {
            foreach (var watched in watcher.Objects())
            {
                resources.AddRange(watched.Resources);
                diagnostics.AddRange(watched.Diagnostics);
            }
        }

        return new SourceContent([.. resources], [.. diagnostics]);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.KubernetesSynced, Level = LogLevel.Information, Message = "Kubernetes: all {Count} watches have listed once; the cluster's objects are in the configuration")]
        public static partial void Synced(ILogger logger, int count);
    }
}
