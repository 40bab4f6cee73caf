using Higress.Core.Resources;
using Higress.Core.Resources.Sources;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Primitives;

namespace Higress.Hosting.Sources;

/// <summary>
/// Watches sources and publishes a new <see cref="ResourceSnapshot"/> to a subscriber after changes settle
/// (debounced), never two at once. It knows nothing of YARP or the translator.
/// </summary>
internal sealed partial class ResourceSnapshotProvider : IDisposable
{
    private readonly IReadOnlyList<IResourceSource> _sources;
    private readonly Action<ResourceSnapshot> _publish;
    private readonly TimeSpan _debounce;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private readonly List<IDisposable> _subscriptions = [];
    private readonly Lock _publishLock = new();
    private ResourceSnapshot _current = ResourceSnapshot.Empty;
    private bool _started;
    private bool _disposed;

    public ResourceSnapshotProvider(IEnumerable<IResourceSource> sources, Action<ResourceSnapshot> publish, TimeSpan? debounce = null, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        _sources = sources.ToList();
        _publish = publish;
        _debounce = debounce ?? TimeSpan.FromMilliseconds(200);
        _logger = logger ?? NullLogger.Instance;
        _timer = (timeProvider ?? TimeProvider.System).CreateTimer(_ => Publish(force: false), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The last published snapshot.</summary>
    public ResourceSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Publishes the first snapshot synchronously, then watches the sources.</summary>
    public void Start()
    {
        lock (_publishLock)
        {
            if (_started)
            {
                return;
            }

            _started = true;
        }

        foreach (var source in _sources)
        {
            _subscriptions.Add(ChangeToken.OnChange(source.GetChangeToken, () => _timer.Change(_debounce, Timeout.InfiniteTimeSpan)));
        }

        Publish(force: true);
    }

    /// <summary>Builds and publishes now, skipping the debounce (tests, admin "reload").</summary>
    public void PublishNow() => Publish(force: false);

    public void Dispose()
    {
        lock (_publishLock)
        {
            _disposed = true;
        }

        _timer.Dispose();
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }
    }

    private void Publish(bool force)
    {
        lock (_publishLock)
        {
            if (_disposed)
            {
                return;
            }

            var previous = _current;
            var next = SnapshotBuilder.Build(_sources, previous.Generation == 0 ? null : previous);
            if (!force && next.ContentEquals(previous) && next.Diagnostics == previous.Diagnostics)
            {
                return;
            }

            Volatile.Write(ref _current, next);
            Log.Publishing(_logger, next.Generation, next.Count, next.Diagnostics.Count(d => d.IsError));
            try
            {
                _publish(next);
            }
#pragma warning disable CA1031 // A failing subscriber must not stop later snapshots.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.SubscriberFailed(_logger, next.Generation, ex);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1111, Level = LogLevel.Information, Message = "Publishing configuration snapshot {Generation}: {Count} objects, {Errors} errors")]
        public static partial void Publishing(ILogger logger, long generation, int count, int errors);

        [LoggerMessage(EventId = 1112, Level = LogLevel.Error, Message = "Applying configuration snapshot {Generation} failed")]
        public static partial void SubscriberFailed(ILogger logger, long generation, Exception exception);
    }
}
