using System.Collections.Concurrent;

namespace Higress.Opa.Builtins;

/// <summary>
/// A thread-safe cache of results of a pure built-in, shared by every evaluation. Bounded in entries and in key length
/// so that hostile inputs (a new token per request) cannot grow it: when full it starts over, which costs one recompute
/// per key and never holds more than <see cref="Capacity"/> results.
/// </summary>
internal sealed class BoundedCache<TKey, TValue>
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TValue> _entries;

    public BoundedCache(int capacity, IEqualityComparer<TKey>? comparer = null)
    {
        Capacity = capacity;
        _entries = new ConcurrentDictionary<TKey, TValue>(comparer);
    }

    public int Capacity { get; }

    public int Count => _entries.Count;

    public bool TryGet(TKey key, out TValue value) => _entries.TryGetValue(key, out value!);

    public void Add(TKey key, TValue value)
    {
        if (_entries.Count >= Capacity)
        {
            _entries.Clear();
        }
        _entries[key] = value;
    }
}
