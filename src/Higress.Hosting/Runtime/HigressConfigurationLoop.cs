using Higress.Core.Diagnostics;
using Higress.Core.Plugins;
using Higress.Core.Resources;
using Higress.Core.Resources.Sources;
using Higress.Core.Translation;
using Higress.Hosting.Sources;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Higress.Hosting.Runtime;

/// <summary>
/// The pipeline's driver: sources → snapshot → translator → runtime. The first plan is applied while the host starts;
/// afterwards every change of any source (debounced) yields a new snapshot, a new translation and an atomic apply.
/// </summary>
internal sealed partial class HigressConfigurationLoop(
    IEnumerable<IResourceSource> sources,
    HigressRuntime runtime,
    PluginCatalog catalog,
    IOptions<HigressOptions> options,
    TimeProvider timeProvider,
    ILogger<HigressConfigurationLoop> logger) : IHostedService, IDisposable
{
    private readonly IResourceSource[] _sources = sources.ToArray();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<IDisposable> _subscriptions = [];
    private readonly MemoryReclaimer _reclaimer = new(timeProvider, logger);
    private ResourceSnapshot? _snapshot;
    private ResourceSnapshot? _lastGood;
    private Task? _loop;

    /// <summary>The number of snapshots translated so far.</summary>
    public long Generation { get; private set; }

    /// <summary>
    /// True once a plan built from every source's complete content has been applied (a cluster source has listed every
    /// kind); <c>/readyz</c> waits for it.
    /// </summary>
    public bool SourcesSynced { get; private set; }

    /// <summary>The sources that have not read everything yet, by name.</summary>
    public IEnumerable<string> UnsyncedSources => _sources.Where(s => !s.HasSynced).Select(s => s.Name);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var source in _sources)
        {
            _subscriptions.Add(ChangeToken.OnChange(source.GetChangeToken, () => _signal.Release()));
        }

        Rebuild();
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }

        _signal.Dispose();
        _stopping.Dispose();
        _reclaimer.Dispose();
    }

    /// <summary>Builds a snapshot from the sources as they are now, translates it and applies it.</summary>
    internal void Rebuild()
    {
        try
        {
            // Read before the snapshot: a source that syncs meanwhile fires its token, and the next rebuild marks it.
            var synced = _sources.All(s => s.HasSynced);
            var read = LastGoodRetention.Apply(_snapshot, SnapshotBuilder.Build(_sources, _snapshot));
            _reclaimer.Read(read.Resources.Count);
            var snapshot = WithinObjectLimit(read);
            if (_snapshot is not null && snapshot.ContentEquals(_snapshot) && snapshot.Diagnostics == _snapshot.Diagnostics && runtime.HasAppliedPlan)
            {
                SourcesSynced |= synced;
                return;
            }

            _snapshot = snapshot;
            Generation++;
            var translatorOptions = new TranslatorOptions
            {
                GatewayClassName = options.Value.GatewayClassName,
                ControllerName = options.Value.ControllerName,
                Generation = Generation,
                ReservedPorts = options.Value.Admin.Enabled ? [options.Value.Admin.Port] : [],
                Sidecar = Sidecar(options.Value.Sidecar),
            };
            var translation = Translator.Translate(snapshot, translatorOptions, catalog);
            runtime.Apply(translation, snapshot);
            SourcesSynced |= synced && runtime.HasAppliedPlan;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.TranslationFailed(logger, ex);
        }
    }

    private static SidecarSettings? Sidecar(HigressSidecarOptions sidecar) => sidecar.Inbound.Port is null && sidecar.Outbound.Port is null
        ? null
        : new SidecarSettings { InboundPort = sidecar.Inbound.Port, InboundApp = sidecar.Inbound.App, OutboundPort = sidecar.Outbound.Port, Namespace = sidecar.Namespace };

    /// <summary>
    /// Over <see cref="HigressLimitsOptions.MaxObjects"/>, the last good snapshot's objects keep serving, with the error
    /// added to its diagnostics so that <c>/config_dump</c> shows it; with no good snapshot yet, none are served.
    /// </summary>
    private ResourceSnapshot WithinObjectLimit(ResourceSnapshot built)
    {
        if (ConfigurationLimits.CheckTotal(built.Resources.Count, options.Value.Limits) is not { } error)
        {
            _lastGood = built;
            return built;
        }

        Log.TooManyObjects(logger, built.Resources.Count, options.Value.Limits.MaxObjects);
        var kept = _lastGood ?? ResourceSnapshot.Empty;
        return new ResourceSnapshot(kept.Resources, [.. kept.Diagnostics, error], built.Generation);
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await _signal.WaitAsync(stopping).ConfigureAwait(false);
                await SettleAsync(stopping).ConfigureAwait(false);
                Rebuild();
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Lets a burst of changes settle so that it applies once: returns when no change has come for
    /// <see cref="HigressOptions.ReloadDebounce"/>, or when <see cref="HigressOptions.ReloadMaxDelay"/> has passed since
    /// the first change of the burst, whichever comes first. The ceiling keeps a stream of changes closer than the
    /// debounce (a busy cluster's endpoint updates, a script editing files) from postponing every apply.
    /// </summary>
    private async Task SettleAsync(CancellationToken stopping)
    {
        var debounce = options.Value.ReloadDebounce;
        var ceiling = options.Value.ReloadMaxDelay < debounce ? debounce : options.Value.ReloadMaxDelay;
        var first = timeProvider.GetTimestamp();
        while (true)
        {
            var left = ceiling - timeProvider.GetElapsedTime(first);
            var wait = left < debounce ? left : debounce;
            if (wait <= TimeSpan.Zero || !await _signal.WaitAsync(wait, stopping).ConfigureAwait(false))
            {
                break;
            }

            while (_signal.CurrentCount > 0)
            {
                await _signal.WaitAsync(stopping).ConfigureAwait(false);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.TranslationFailed, Level = LogLevel.Error, Message = "Translation failed; the previous plan keeps serving")]
        public static partial void TranslationFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = EventIds.TooManyObjects, Level = LogLevel.Error, Message = "The sources hold {Count} objects, over Higress:Limits:MaxObjects ({Limit}); the last good configuration keeps serving")]
        public static partial void TooManyObjects(ILogger logger, int count, int limit);
    }
}
