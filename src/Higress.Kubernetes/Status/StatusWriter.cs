using System.Text.Json.Nodes;
using Higress.Core.Diagnostics;
using Higress.Core.Translation;
using Higress.Hosting.Listeners;
using Higress.Hosting.Runtime;
using Higress.Kubernetes.Watching;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Higress.Kubernetes.Status;

/// <summary>
/// Writes each watched object's status (<see cref="StatusDocument"/>) to its <c>/status</c> subresource as a merge
/// patch, on the replica that holds the Lease (<see cref="StatusLeader"/>). It runs beside the configuration loop and
/// never holds it up: it reads the last applied translation (with the listeners' runtime state laid over it, as
/// <c>/config_dump</c> shows it) when that, the listeners or the watched objects change. An object is patched only
/// when what it should hold differs from what it holds; a patch just sent is not sent again before the watch shows
/// its result. Patches are paced (<see cref="KubernetesOptions.StatusWritesPerSecond"/>), and a failed one is retried
/// after an exponential backoff while the others go on. The gateway's own writes change only <c>status</c>, which the
/// watch source ignores: they produce no new plan.
/// </summary>
internal sealed partial class StatusWriter(
    KubernetesResourceSource source,
    KubeApi api,
    StatusLeader leader,
    HigressRuntime runtime,
    ListenerManager listeners,
    KubernetesOptions options,
    string controllerName,
    ILogger logger,
    TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(60);
    private readonly Dictionary<string, (string Status, string? Version)> _sent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Failures, long Due)> _retries = new(StringComparer.Ordinal);
    private long _written;
    private long _failed;
    private long _rounds;
    private volatile Round? _lastRound;

    /// <summary>Status patches written by this replica.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Status patches that failed (each is retried).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>How many times the writer compared every object with what it should hold (after a change of its inputs).</summary>
    public long Rounds => Interlocked.Read(ref _rounds);

    /// <summary>
    /// True when the last comparison found nothing to write and nothing has changed since: the objects hold what they
    /// should (for tests and diagnostics).
    /// </summary>
    public bool IsSettled => _lastRound is { Due: 0 } round && round.Revision == source.Revision && ReferenceEquals(round.Translation, runtime.LastTranslation);

    /// <summary>The leader election this writer follows.</summary>
    public StatusLeader Leader => leader;

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(TimeSpan.FromSeconds(2));
        await leader.ReleaseAsync(bounded.Token).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var election = Task.Run(() => leader.RunAsync(stoppingToken), stoppingToken);
        object? seen = null;
        var pace = TimeSpan.FromSeconds(1 / Math.Max(0.1, options.StatusWritesPerSecond));
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(Tick, time, stoppingToken).ConfigureAwait(false);
                if (!leader.IsLeader || !source.HasSynced || !runtime.HasAppliedPlan || runtime.LastTranslation is not { } translation)
                {
                    seen = null;
                    continue;
                }

                try
                {
                    var endpoints = listeners.Endpoints();
                    var inputs = (translation, leader.Terms, source.Revision, string.Join(',', endpoints.Select(e => e.State)));
                    if (inputs.Equals(seen) && !RetryDue())
                    {
                        continue;
                    }

                    seen = inputs;
                    await RoundAsync(translation, endpoints, inputs.Item3, pace, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not (OutOfMemoryException or OperationCanceledException))
                {
                    // Status is a report: a failure here must never stop the host that serves traffic.
                    Log.RoundFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await election.ConfigureAwait(false);
    }

    private async Task RoundAsync(TranslationResult translation, IReadOnlyList<ListenerEndpointStatus> endpoints, long revision, TimeSpan pace, CancellationToken stoppingToken)
    {
        // Keyed by display name, which a native and a Gateway API Gateway of one name share: the first one wins.
        var translated = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var resource in runtime.LastSnapshot?.Resources ?? [])
        {
            translated.TryAdd(resource.Display, resource.Metadata.Generation);
        }

        var due = Pending(ListenerStatusOverlay.Apply(translation.Statuses, endpoints), translated);
        _lastRound = new Round(translation, revision, due.Count + _retries.Count);
        var written = 0;
        foreach (var (kind, watched, status, key) in due)
        {
            if (!leader.IsLeader || stoppingToken.IsCancellationRequested)
            {
                break;
            }

            written += await WriteAsync(kind, watched, status, key, stoppingToken).ConfigureAwait(false) ? 1 : 0;
            await Task.Delay(pace, time, stoppingToken).ConfigureAwait(false);
        }

        if (written > 0)
        {
            Log.Written(logger, written, due.Count);
        }

        Interlocked.Increment(ref _rounds);
    }

    /// <summary>The objects whose status differs from what they should hold, except those waiting for a retry or for the echo of a patch.</summary>
    private List<(WatchedKind Kind, WatchedObject Watched, JsonObject Status, string Key)> Pending(IEnumerable<ObjectStatus> statuses, Dictionary<string, long> translated)
    {
        var byObject = statuses.GroupBy(s => s.Object, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var now = time.GetUtcNow();
        var due = new List<(WatchedKind, WatchedObject, JsonObject, string)>();
        var terms = leader.Terms;
        foreach (var watcher in source.Watchers.Where(w => StatusDocument.Writes(w.Kind)))
        {
            foreach (var watched in watcher.Objects())
            {
                var display = $"{watcher.Kind.Kind} {watched.Key}";
                var key = $"{watcher.Kind}/{watched.Key}";
                byObject.TryGetValue(display, out var status);
                if (status is null && watcher.Kind.Group == "networking.higress.io" && translated.ContainsKey(display))
                {
                    // Translated without a word to say: the defaults (Accepted, ResolvedRefs, Programmed, all true).
                    status = new ObjectStatus(display, watched.Generation, [], []);
                }

                if (translated.TryGetValue(display, out var generation) ? generation != watched.Generation : status is null && watcher.Kind.Kind != "GatewayClass")
                {
                    // The applied plan has not seen this version of the object yet: its status would describe another one.
                    continue;
                }

                if (StatusDocument.Build(watcher.Kind, watched, status, controllerName, now) is not { } desired
                    || StatusDocument.Holds(watched.Status, desired))
                {
                    _sent.Remove(key);
                    _retries.Remove(key);
                    continue;
                }

                var text = StatusDocument.Canonical(desired) + terms;
                if (_sent.TryGetValue(key, out var sent) && sent.Status == text && sent.Version == watched.ResourceVersion)
                {
                    continue;
                }

                if (_retries.TryGetValue(key, out var retry) && retry.Due > time.GetTimestamp())
                {
                    continue;
                }

                due.Add((watcher.Kind, watched, desired, key));
            }
        }

        return due;
    }

    private async Task<bool> WriteAsync(WatchedKind kind, WatchedObject watched, JsonObject status, string key, CancellationToken stopping)
    {
        var slash = watched.Key.IndexOf('/', StringComparison.Ordinal);
        var (ns, name) = slash < 0 ? (null, watched.Key) : (watched.Key[..slash], watched.Key[(slash + 1)..]);
        try
        {
            await api.PatchStatusAsync(kind, ns, name, status, $"higress-net/{leader.Identity}", stopping).ConfigureAwait(false);
            _sent[key] = (StatusDocument.Canonical(status) + leader.Terms, watched.ResourceVersion);
            _retries.Remove(key);
            Interlocked.Increment(ref _written);
            return true;
        }
        catch (KubeApiException ex) when (ex.Status == 404)
        {
            // Deleted since it was watched: its status is gone with it.
            _retries.Remove(key);
            return false;
        }
        catch (Exception ex) when (ex is HttpRequestException or KubeApiException or IOException || (ex is OperationCanceledException && !stopping.IsCancellationRequested))
        {
            var failures = _retries.TryGetValue(key, out var retry) ? retry.Failures + 1 : 1;
            var delay = TimeSpan.FromMilliseconds(Math.Min(MaxRetryDelay.TotalMilliseconds, options.InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 16))));
            _retries[key] = (failures, time.GetTimestamp() + (long)(delay.TotalSeconds * time.TimestampFrequency));
            Interlocked.Increment(ref _failed);
            Log.WriteFailed(logger, $"{kind.Kind} {watched.Key}", ex.Message, delay);
            return false;
        }
    }

    private bool RetryDue()
    {
        var now = time.GetTimestamp();
        return _retries.Values.Any(r => r.Due <= now);
    }

    /// <summary>What the last comparison saw: its inputs, and how many objects it found to write or waiting for a retry.</summary>
    private sealed record Round(TranslationResult Translation, long Revision, int Due);

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.KubernetesStatusWriteFailed, Level = LogLevel.Warning, Message = "Writing the status of {Object} failed ({Reason}); retrying in {Delay}")]
        public static partial void WriteFailed(ILogger logger, string @object, string reason, TimeSpan delay);

        [LoggerMessage(EventId = EventIds.KubernetesStatusRoundFailed, Level = LogLevel.Error, Message = "Comparing or writing statuses failed; the writer tries again at the next change")]
        public static partial void RoundFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = EventIds.KubernetesStatusWritten, Level = LogLevel.Debug, Message = "Wrote the status of {Count} of {Due} objects whose status changed")]
        public static partial void Written(ILogger logger, int count, int due);
    }
}
