using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Higress.Core.Resources;

/// <summary>
/// An immutable string-keyed map (ordinal keys) with value equality that ignores key order.
/// Enumeration keeps the order the entries were written in. The default value is empty.
/// </summary>
/// <typeparam name="TValue">The value type.</typeparam>
public readonly struct EquatableMap<TValue> : IEquatable<EquatableMap<TValue>>, IReadOnlyDictionary<string, TValue>
{
    private readonly KeyValuePair<string, TValue>[]? _entries;
    private readonly Dictionary<string, TValue>? _lookup;

    /// <summary>Creates a map from <paramref name="entries"/>; a later duplicate key replaces an earlier one.</summary>
    /// <param name="entries">The entries, in order.</param>
    public EquatableMap(IEnumerable<KeyValuePair<string, TValue>> entries)
    {
        var lookup = new Dictionary<string, TValue>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var (key, value) in entries)
        {
            if (!lookup.ContainsKey(key))
            {
                order.Add(key);
            }

            lookup[key] = value;
        }

        _lookup = lookup;
        _entries = order.Select(k => new KeyValuePair<string, TValue>(k, lookup[k])).ToArray();
    }

    /// <summary>An empty map.</summary>
    public static EquatableMap<TValue> Empty => default;

    /// <summary>The number of entries.</summary>
    public int Count => _entries?.Length ?? 0;

    /// <summary>True when the map has no entries.</summary>
    public bool IsEmpty => Count == 0;

    /// <summary>The keys, in written order.</summary>
    public IEnumerable<string> Keys => (_entries ?? []).Select(e => e.Key);

    /// <summary>The values, in written order.</summary>
    public IEnumerable<TValue> Values => (_entries ?? []).Select(e => e.Value);

    /// <summary>The value for <paramref name="key"/>.</summary>
    /// <param name="key">The key.</param>
    public TValue this[string key] => _lookup is null ? throw new KeyNotFoundException(key) : _lookup[key];

    /// <inheritdoc />
    public bool ContainsKey(string key) => _lookup?.ContainsKey(key) ?? false;

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TValue value)
    {
        if (_lookup is null)
        {
            value = default;
            return false;
        }

        return _lookup.TryGetValue(key, out value);
    }

    /// <inheritdoc />
    public bool Equals(EquatableMap<TValue> other)
    {
        if (Count != other.Count)
        {
            return false;
        }

        foreach (var (key, value) in _entries ?? [])
        {
            if (!other.TryGetValue(key, out var otherValue) || !EqualityComparer<TValue>.Default.Equals(value, otherValue))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is EquatableMap<TValue> other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = 0;
        foreach (var (key, value) in _entries ?? [])
        {
            hash ^= HashCode.Combine(StringComparer.Ordinal.GetHashCode(key), value);
        }

        return hash;
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, TValue>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, TValue>>)(_entries ?? [])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => "{" + string.Join(", ", (_entries ?? []).Select(e => $"{e.Key}: {e.Value}")) + "}";

    /// <summary>Compares two maps by value.</summary>
    public static bool operator ==(EquatableMap<TValue> left, EquatableMap<TValue> right) => left.Equals(right);

    /// <summary>Compares two maps by value.</summary>
    public static bool operator !=(EquatableMap<TValue> left, EquatableMap<TValue> right) => !left.Equals(right);

    /// <summary>Copies a dictionary into a map.</summary>
    public static implicit operator EquatableMap<TValue>(Dictionary<string, TValue> entries) => new(entries);
}
