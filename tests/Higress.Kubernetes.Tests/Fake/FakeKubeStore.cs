using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Higress.Kubernetes.Tests.Fake;

/// <summary>
/// The fake API server's storage, with etcd's semantics as the API server exposes them: one global resourceVersion
/// that every write increments, an event history that watches replay from a resourceVersion, and compaction, after
/// which a watch from an older version gets 410 Gone. Objects are kept per resource (group/version/plural) and key
/// (<c>namespace/name</c>). Thread-safe; one lock, as fakes should be simple.
/// </summary>
internal sealed class FakeKubeStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SortedDictionary<string, JsonObject>> _objects = new(StringComparer.Ordinal);
    private readonly List<StoredEvent> _history = [];
    private readonly List<Subscriber> _subscribers = [];
    private long _version = 1000;
    private long _compactedTo;

    /// <summary>The current resourceVersion.</summary>
    public long Version
    {
        get
        {
            lock (_lock)
            {
                return _version;
            }
        }
    }

    /// <summary>Starts serving a resource (its CRD is installed); a resource not served answers 404.</summary>
    public void Serve(string resource)
    {
        lock (_lock)
        {
            _objects.TryAdd(resource, new SortedDictionary<string, JsonObject>(StringComparer.Ordinal));
        }
    }

    /// <summary>Stops serving a resource (its CRD is uninstalled) and forgets its objects.</summary>
    public void Unserve(string resource)
    {
        lock (_lock)
        {
            _objects.Remove(resource);
        }
    }

    public bool IsServed(string resource)
    {
        lock (_lock)
        {
            return _objects.ContainsKey(resource);
        }
    }

    /// <summary>
    /// Creates or replaces an object; a spec change bumps <c>metadata.generation</c>, a status-only change does not.
    /// An object given without <c>status</c> keeps the stored one.
    /// </summary>
    public JsonObject Put(string resource, JsonObject item)
    {
        lock (_lock)
        {
            var copy = (JsonObject)item.DeepClone();
            var metadata = copy["metadata"] as JsonObject ?? [];
            copy["metadata"] = metadata;
            var key = Key(metadata);
            var objects = _objects[resource];
            var exists = objects.TryGetValue(key, out var old);
            var oldMetadata = old?["metadata"] as JsonObject;
            var specChanged = !exists || !JsonNode.DeepEquals(old!["spec"], copy["spec"]);
            metadata["uid"] = (string?)oldMetadata?["uid"] ?? Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = (string?)oldMetadata?["creationTimestamp"] ?? DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            metadata["generation"] = ((long?)oldMetadata?["generation"] ?? 0) + (specChanged ? 1 : 0);
            metadata["resourceVersion"] = Next();
            if (copy["status"] is null && old?["status"] is { } status)
            {
                // The status subresource owns status: an update of the object without one keeps it, as the API server does.
                copy["status"] = status.DeepClone();
            }

            objects[key] = copy;
            Publish(resource, exists ? "MODIFIED" : "ADDED", copy);
            return copy;
        }
    }

    /// <summary>
    /// The status subresource: replaces the object's <c>status</c> with what <paramref name="patch"/> makes of it, leaves
    /// everything else (spec, generation) as it is, bumps resourceVersion and emits MODIFIED. Null when there is no
    /// such object.
    /// </summary>
    public JsonObject? PatchStatus(string resource, string key, Func<JsonObject, JsonObject> patch)
    {
        lock (_lock)
        {
            if (!_objects.TryGetValue(resource, out var objects) || !objects.TryGetValue(key, out var old))
            {
                return null;
            }

            var copy = (JsonObject)old.DeepClone();
            copy["status"] = patch(copy["status"] as JsonObject ?? []);
            copy["metadata"]!["resourceVersion"] = Next();
            objects[key] = copy;
            Publish(resource, "MODIFIED", copy);
            return (JsonObject)copy.DeepClone();
        }
    }

    /// <summary>Creates an object that must not exist yet (POST); null on a conflict (409 AlreadyExists).</summary>
    public JsonObject? Create(string resource, JsonObject item)
    {
        lock (_lock)
        {
            return _objects[resource].ContainsKey(Key(item["metadata"] as JsonObject ?? [])) ? null : Put(resource, item);
        }
    }

    /// <summary>
    /// Replaces an object (PUT) when its <c>metadata.resourceVersion</c> is the stored one, as the API server's optimistic
    /// concurrency does; null on a conflict (409) or when it does not exist.
    /// </summary>
    public JsonObject? Replace(string resource, JsonObject item)
    {
        lock (_lock)
        {
            var metadata = item["metadata"] as JsonObject ?? [];
            return _objects[resource].TryGetValue(Key(metadata), out var old)
                && (string?)old["metadata"]!["resourceVersion"] == (string?)metadata["resourceVersion"]
                ? Put(resource, item)
                : null;
        }
    }

    /// <summary>One object, or null.</summary>
    public JsonObject? Get(string resource, string key)
    {
        lock (_lock)
        {
            return _objects.TryGetValue(resource, out var objects) && objects.TryGetValue(key, out var item) ? (JsonObject)item.DeepClone() : null;
        }
    }

    /// <summary>Deletes an object; false when there is none.</summary>
    public bool Delete(string resource, string key)
    {
        lock (_lock)
        {
            if (!_objects[resource].Remove(key, out var old))
            {
                return false;
            }

            var gone = (JsonObject)old.DeepClone();
            ((JsonObject)gone["metadata"]!)["resourceVersion"] = Next();
            Publish(resource, "DELETED", gone);
            return true;
        }
    }

    /// <summary>Forgets the event history up to now: a watch from an older resourceVersion gets 410 Gone.</summary>
    public void Compact()
    {
        lock (_lock)
        {
            _compactedTo = _version;
            _history.Clear();
        }
    }

    /// <summary>The objects of a resource in one namespace (or all), in key order, with the current resourceVersion.</summary>
    public (List<JsonObject> Items, long Version) List(string resource, string? ns, Func<JsonObject, bool> selector)
    {
        lock (_lock)
        {
            var items = _objects[resource].Values.Where(o => Matches(o, ns) && selector(o)).Select(o => (JsonObject)o.DeepClone()).ToList();
            return (items, _version);
        }
    }

    /// <summary>
    /// Starts a watch from <paramref name="from"/>: the events after it are replayed, then new ones follow. Null when
    /// <paramref name="from"/> is older than the last compaction (410 Gone).
    /// </summary>
    public Subscriber? Watch(string resource, string? ns, Func<JsonObject, bool> selector, long from)
    {
        lock (_lock)
        {
            if (from < _compactedTo)
            {
                return null;
            }

            var subscriber = new Subscriber(resource, ns, selector);
            foreach (var stored in _history.Where(e => e.Version > from && subscriber.Wants(e)))
            {
                subscriber.Events.Writer.TryWrite(stored.Line);
            }

            _subscribers.Add(subscriber);
            return subscriber;
        }
    }

    public void Unsubscribe(Subscriber subscriber)
    {
        lock (_lock)
        {
            _subscribers.Remove(subscriber);
        }
    }

    /// <summary>Sends every open watch a BOOKMARK at the current resourceVersion.</summary>
    public void Bookmark()
    {
        lock (_lock)
        {
            foreach (var subscriber in _subscribers)
            {
                var bookmark = new JsonObject
                {
                    ["type"] = "BOOKMARK",
                    ["object"] = new JsonObject { ["metadata"] = new JsonObject { ["resourceVersion"] = _version.ToString(CultureInfo.InvariantCulture) } },
                };
                subscriber.Events.Writer.TryWrite(bookmark.ToJsonString());
            }
        }
    }

    /// <summary>Cuts every open watch stream (the connection is aborted mid-stream); returns how many.</summary>
    public int CutAll()
    {
        lock (_lock)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Cut.Cancel();
            }

            var count = _subscribers.Count;
            _subscribers.Clear();
            return count;
        }
    }

    /// <summary>How many watch streams are open now.</summary>
    public int OpenWatches
    {
        get
        {
            lock (_lock)
            {
                return _subscribers.Count;
            }
        }
    }

    public static string Key(JsonObject metadata) =>
        metadata["namespace"] is JsonValue ns && (string?)ns is { Length: > 0 } text ? $"{text}/{(string?)metadata["name"]}" : (string?)metadata["name"] ?? string.Empty;

    private static bool Matches(JsonObject item, string? ns) =>
        ns is null || (string?)(item["metadata"] as JsonObject)?["namespace"] == ns;

    private string Next() => (++_version).ToString(CultureInfo.InvariantCulture);

    private void Publish(string resource, string type, JsonObject item)
    {
        var line = new JsonObject { ["type"] = type, ["object"] = item.DeepClone() }.ToJsonString();
        var stored = new StoredEvent(resource, _version, item, line);
        _history.Add(stored);
        foreach (var subscriber in _subscribers.Where(s => s.Wants(stored)))
        {
            subscriber.Events.Writer.TryWrite(line);
        }
    }

    internal sealed record StoredEvent(string Resource, long Version, JsonObject Item, string Line);

    /// <summary>One open watch: its filter, its queue of event lines and the switch that cuts it.</summary>
    internal sealed class Subscriber(string resource, string? ns, Func<JsonObject, bool> selector)
    {
        public Channel<string> Events { get; } = Channel.CreateUnbounded<string>();

        public CancellationTokenSource Cut { get; } = new();

        public bool Wants(StoredEvent e) => e.Resource == resource && Matches(e.Item, ns) && selector(e.Item);
    }
}
