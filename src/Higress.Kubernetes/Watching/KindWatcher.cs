using System.Text.Json;
using System.Text.Json.Nodes;
using Higress.Core.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Higress.Kubernetes.Watching;

/// <summary>
/// Keeps one kind (in one namespace, or in all) in memory as the API server holds it, the way a client-go reflector
/// does: list, then watch from the list's resourceVersion with bookmarks; on 410 Gone (the version was compacted) list
/// again; on any other failure reconnect after an exponential backoff with jitter. A stream that sends nothing for
/// <see cref="KubernetesOptions.WatchIdleTimeout"/> is dropped and reopened (a silent, half-dead connection), and every
/// <see cref="KubernetesOptions.ResyncInterval"/> the kind is listed again from scratch. A CRD that is not installed
/// (404) counts as listed and empty, and is looked for again every <see cref="KubernetesOptions.MissingKindRecheck"/>.
/// </summary>
internal sealed partial class KindWatcher(KubeApi api, WatchedKind kind, string? ns, string? labelSelector, KubernetesOptions options, Action changed, ILogger logger, TimeProvider time)
{
    private readonly Lock _lock = new();
    private Dictionary<string, WatchedObject> _objects = new(StringComparer.Ordinal);
    private long _lists;
    private long _revision;
    private volatile bool _listed;
    private string? _version;

    /// <summary>The kind watched.</summary>
    public WatchedKind Kind => kind;

    /// <summary>True once the kind has been listed (or found not installed) at least once.</summary>
    public bool HasListed => _listed;

    /// <summary>The last resourceVersion seen (list, event or bookmark); null before the first list.</summary>
    public string? ResourceVersion => Volatile.Read(ref _version);

    /// <summary>How many complete lists have been made (the first, re-lists after 410, resyncs).</summary>
    public long Lists => Interlocked.Read(ref _lists);

    /// <summary>Counts every change to the objects held, status-only changes included (the status writer's cue).</summary>
    public long Revision => Interlocked.Read(ref _revision);

    /// <summary>The objects as last seen, in key order.</summary>
    public IReadOnlyList<WatchedObject> Objects()
    {
        lock (_lock)
        {
            return [.. _objects.Values.OrderBy(o => o.Key, StringComparer.Ordinal)];
        }
    }

    /// <summary>Lists and watches until <paramref name="stopping"/> fires.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var failures = 0;
        string? version = null;
        var listedAt = 0L;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (version is null || time.GetElapsedTime(listedAt) >= options.ResyncInterval)
                {
                    version = await ListAsync(stopping).ConfigureAwait(false);
                    listedAt = time.GetTimestamp();
                    Volatile.Write(ref _version, version);
                    if (version is null)
                    {
                        await Task.Delay(options.MissingKindRecheck, time, stopping).ConfigureAwait(false);
                        continue;
                    }
                }

                var resync = options.ResyncInterval - time.GetElapsedTime(listedAt);
                var (next, events) = await WatchAsync(version, resync, stopping).ConfigureAwait(false);
                version = next;
                failures = events > 0 ? 0 : failures + 1;
                if (failures > 0)
                {
                    // A stream that ends at once, again and again, must not become a busy loop.
                    await Task.Delay(Backoff(failures), time, stopping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (KubeApiException ex) when (ex.IsGone)
            {
                Log.Gone(logger, kind.ToString(), ns ?? "*");
                version = null;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or KubeApiException or JsonException or InvalidOperationException)
            {
                failures++;
                var delay = Backoff(failures);
                Log.Failed(logger, kind.ToString(), ns ?? "*", delay, ex.Message);
                try
                {
                    await Task.Delay(delay, time, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Lists every page and replaces the state; returns the list's resourceVersion, or null when the kind is not installed.</summary>
    private async Task<string?> ListAsync(CancellationToken stopping)
    {
        var objects = new Dictionary<string, WatchedObject>(StringComparer.Ordinal);
        string? continueToken = null;
        string version;
        try
        {
            do
            {
                var page = await api.ListAsync(kind, ns, labelSelector, continueToken, stopping).ConfigureAwait(false);
                foreach (var item in page.Items)
                {
                    var watched = WatchedObject.From(item, kind);
                    objects[watched.Key] = watched;
                }

                version = page.ResourceVersion;
                continueToken = page.Continue;
            }
            while (continueToken is not null);
        }
        catch (KubeApiException ex) when (ex.Status == 404 && kind.Optional)
        {
            Log.NotInstalled(logger, kind.ToString(), options.MissingKindRecheck);
            Replace([]);
            return null;
        }

        Interlocked.Increment(ref _lists);
        Log.Listed(logger, kind.ToString(), ns ?? "*", objects.Count, version);
        Replace(objects);
        return version;
    }

    private void Replace(Dictionary<string, WatchedObject> objects)
    {
        bool differs;
        lock (_lock)
        {
            differs = objects.Count != _objects.Count
                || objects.Any(o => !_objects.TryGetValue(o.Key, out var old) || old.Normalized != o.Value.Normalized);
            _objects = objects;
        }

        Interlocked.Increment(ref _revision);

        var first = !_listed;
        _listed = true;
        if (differs || first)
        {
            changed();
        }
    }

    /// <summary>Reads one watch stream to its end; returns the last resourceVersion seen and the number of events.</summary>
    private async Task<(string Version, int Events)> WatchAsync(string version, TimeSpan resync, CancellationToken stopping)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var limit = resync < options.WatchIdleTimeout ? resync : options.WatchIdleTimeout;
        idle.CancelAfter(limit > TimeSpan.Zero ? limit : TimeSpan.FromMilliseconds(1));
        var events = 0;
        try
        {
            using var response = await api.WatchAsync(kind, ns, labelSelector, version, resync, idle.Token).ConfigureAwait(false);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(idle.Token).ConfigureAwait(false));
            while (await reader.ReadLineAsync(idle.Token).ConfigureAwait(false) is { } line)
            {
                idle.CancelAfter(options.WatchIdleTimeout);
                if (line.Length == 0)
                {
                    continue;
                }

                events++;
                version = Apply(line) ?? version;
                Volatile.Write(ref _version, version);
            }
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            // The watchdog or the resync deadline: reopen from the last version seen (or list again, when it is time).
            Log.Idle(logger, kind.ToString(), ns ?? "*");
            return (version, Math.Max(events, 1));
        }

        return (version, events);
    }

    /// <summary>Applies one watch event; returns its resourceVersion.</summary>
    private string? Apply(string line)
    {
        var watchEvent = JsonNode.Parse(line) as JsonObject ?? throw new JsonException("a watch event is not a JSON object");
        var type = (string?)watchEvent["type"];
        var item = watchEvent["object"] as JsonObject;
        switch (type)
        {
            case "ADDED" or "MODIFIED" when item is not null:
                Upsert(WatchedObject.From(item, kind));
                break;
            case "DELETED" when item is not null:
                Remove(WatchedObject.KeyOf(item));
                break;
            case "BOOKMARK":
                break;
            case "ERROR":
                var code = item?["code"] is JsonValue value && value.TryGetValue<int>(out var number) ? number : 0;
                throw new KubeApiException(code, $"watch of {kind}: ERROR event {code} {(string?)item?["message"]}");
            default:
                throw new JsonException($"watch of {kind}: unexpected event type '{type}'");
        }

        return WatchedObject.ResourceVersionOf(item);
    }

    private void Upsert(WatchedObject watched)
    {
        bool same;
        lock (_lock)
        {
            same = _objects.TryGetValue(watched.Key, out var old) && old.Normalized == watched.Normalized;
            _objects[watched.Key] = watched;
        }

        Interlocked.Increment(ref _revision);
        if (!same)
        {
            // Only what the plan reads makes a new plan; a status-only change is kept for the status writer alone.
            changed();
        }
    }

    private void Remove(string key)
    {
        lock (_lock)
        {
            if (!_objects.Remove(key))
            {
                return;
            }
        }

        Interlocked.Increment(ref _revision);

        changed();
    }

    /// <summary>Exponential backoff with "equal jitter": half fixed, half random, so that replicas do not reconnect in step.</summary>
    private TimeSpan Backoff(int failures)
    {
        var exponent = Math.Min(failures - 1, 16);
        var ceiling = Math.Min(options.MaxBackoff.TotalMilliseconds, options.InitialBackoff.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds((ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.KubernetesListed, Level = LogLevel.Debug, Message = "Listed {Kind} in {Namespace}: {Count} objects at resourceVersion {Version}")]
        public static partial void Listed(ILogger logger, string kind, string @namespace, int count, string version);

        [LoggerMessage(EventId = EventIds.KubernetesKindMissing, Level = LogLevel.Information, Message = "{Kind} is not served by the API server (its CRD is not installed); looking again in {Recheck}")]
        public static partial void NotInstalled(ILogger logger, string kind, TimeSpan recheck);

        [LoggerMessage(EventId = EventIds.KubernetesWatchFailed, Level = LogLevel.Warning, Message = "Watching {Kind} in {Namespace} failed ({Reason}); retrying in {Delay}")]
        public static partial void Failed(ILogger logger, string kind, string @namespace, TimeSpan delay, string reason);

        [LoggerMessage(EventId = EventIds.KubernetesWatchGone, Level = LogLevel.Information, Message = "The watch of {Kind} in {Namespace} is too old (410 Gone); listing again")]
        public static partial void Gone(ILogger logger, string kind, string @namespace);

        [LoggerMessage(EventId = EventIds.KubernetesWatchIdle, Level = LogLevel.Debug, Message = "The watch of {Kind} in {Namespace} was silent too long or reached its resync time; reopening")]
        public static partial void Idle(ILogger logger, string kind, string @namespace);
    }
}
