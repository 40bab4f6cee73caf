using System.Collections;
using System.Runtime.CompilerServices;

namespace Higress.Core.Resources;

/// <summary>
/// An immutable array with value equality, so that two parses of the same document compare equal.
/// The default value is an empty array.
/// </summary>
/// <typeparam name="T">The element type; its own equality decides the array's.</typeparam>
[CollectionBuilder(typeof(EquatableArray), nameof(EquatableArray.Create))]
public readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IReadOnlyList<T>
{
    private readonly T[]? _items;

    /// <summary>Creates an array holding a copy of <paramref name="items"/>.</summary>
    /// <param name="items">The elements, in order.</param>
    public EquatableArray(IEnumerable<T> items) => _items = items.ToArray();

    private EquatableArray(T[] items, bool _) => _items = items;

    /// <summary>An empty array.</summary>
    public static EquatableArray<T> Empty => default;

    /// <summary>The number of elements.</summary>
    public int Count => _items?.Length ?? 0;

    /// <summary>True when the array has no elements.</summary>
    public bool IsEmpty => Count == 0;

    /// <summary>The element at <paramref name="index"/>.</summary>
    /// <param name="index">A zero-based index.</param>
    public T this[int index] => (_items ?? [])[index];

    /// <summary>The elements as a span.</summary>
    public ReadOnlySpan<T> AsSpan() => _items;

    internal static EquatableArray<T> FromOwned(T[] items) => new(items, true);

    /// <inheritdoc />
    public bool Equals(EquatableArray<T> other) => AsSpan().SequenceEqual(other.AsSpan(), EqualityComparer<T>.Default);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in AsSpan())
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    /// <summary>Enumerates the elements.</summary>
    public ReadOnlySpan<T>.Enumerator GetEnumerator() => AsSpan().GetEnumerator();

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => ((IEnumerable<T>)(_items ?? [])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<T>)this).GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => "[" + string.Join(", ", _items ?? []) + "]";

    /// <summary>Compares two arrays by value.</summary>
    public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);

    /// <summary>Compares two arrays by value.</summary>
    public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);

    /// <summary>Wraps a copy of <paramref name="items"/>.</summary>
    public static implicit operator EquatableArray<T>(T[] items) => new(items);

    /// <summary>Wraps a copy of <paramref name="items"/>.</summary>
    public static implicit operator EquatableArray<T>(List<T> items) => new(items);
}

/// <summary>Factory methods for <see cref="EquatableArray{T}"/>, also used by collection expressions.</summary>
public static class EquatableArray
{
    /// <summary>Creates an array holding a copy of <paramref name="items"/>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="items">The elements.</param>
    public static EquatableArray<T> Create<T>(ReadOnlySpan<T> items) => EquatableArray<T>.FromOwned(items.ToArray());

    /// <summary>Creates an array holding a copy of <paramref name="items"/>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="items">The elements.</param>
    public static EquatableArray<T> ToEquatableArray<T>(this IEnumerable<T> items) => new(items);
}
