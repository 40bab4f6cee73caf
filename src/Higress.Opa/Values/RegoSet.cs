using System.Collections;
using System.Text;

namespace Higress.Opa.Values;

/// <summary>An immutable Rego set. Elements are kept sorted in OPA order; iteration is in that order.</summary>
public sealed class RegoSet : RegoValue, IReadOnlyCollection<RegoValue>
{
    /// <summary>The empty set.</summary>
    public static readonly RegoSet Empty = new([]);

    private readonly RegoValue[] _items; // sorted, unique
    private HashSet<RegoValue>? _lookup;
    private int _hash;

    private RegoSet(RegoValue[] sortedUnique) => _items = sortedUnique;

    /// <summary>Creates a set from any elements (duplicates removed).</summary>
    public static RegoSet Create(IEnumerable<RegoValue> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return FromUnsorted(items.ToArray());
    }

    /// <summary>Creates a set from any elements (duplicates removed).</summary>
    public static RegoSet Create(params ReadOnlySpan<RegoValue> items) => FromUnsorted(items.ToArray());

    /// <summary>Creates a set taking ownership of an array that may be unsorted and contain duplicates.</summary>
    internal static RegoSet FromUnsorted(RegoValue[] a)
    {
        if (a.Length == 0)
        {
            return Empty;
        }
        Array.Sort(a, RegoValue.Compare);
        int w = 1;
        for (int i = 1; i < a.Length; i++)
        {
            if (RegoValue.Compare(a[i], a[w - 1]) != 0)
            {
                a[w++] = a[i];
            }
        }
        if (w != a.Length)
        {
            Array.Resize(ref a, w);
        }
        return new RegoSet(a);
    }

    /// <summary>Creates a set from an array already sorted and without duplicates.</summary>
    internal static RegoSet FromSortedUnique(RegoValue[] a) => a.Length == 0 ? Empty : new RegoSet(a);

    /// <inheritdoc />
    public override RegoKind Kind => RegoKind.Set;

    /// <summary>Number of elements.</summary>
    public int Count => _items.Length;

    /// <summary>The elements in sorted order.</summary>
    public ReadOnlySpan<RegoValue> AsSpan() => _items;

    /// <summary>True when the set contains the value.</summary>
    public bool Contains(RegoValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (_items.Length <= 8)
        {
            foreach (var v in _items)
            {
                if (v.Equals(value))
                {
                    return true;
                }
            }
            return false;
        }
        var lookup = _lookup;
        if (lookup is null)
        {
            lookup = new HashSet<RegoValue>(_items);
            _lookup = lookup;
        }
        return lookup.Contains(value);
    }

    /// <summary>Union.</summary>
    public RegoSet Union(RegoSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Count == 0) return this;
        if (Count == 0) return other;
        return Merge(other, keepA: true, keepB: true, keepBoth: true);
    }

    /// <summary>Intersection.</summary>
    public RegoSet Intersect(RegoSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Merge(other, keepA: false, keepB: false, keepBoth: true);
    }

    /// <summary>Difference (elements of this set not in the other).</summary>
    public RegoSet Except(RegoSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Count == 0) return this;
        return Merge(other, keepA: true, keepB: false, keepBoth: false);
    }

    private RegoSet Merge(RegoSet other, bool keepA, bool keepB, bool keepBoth)
    {
        var a = _items;
        var b = other._items;
        var r = new List<RegoValue>(Math.Max(a.Length, b.Length));
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            int c = Compare(a[i], b[j]);
            if (c == 0)
            {
                if (keepBoth) r.Add(a[i]);
                i++;
                j++;
            }
            else if (c < 0)
            {
                if (keepA) r.Add(a[i]);
                i++;
            }
            else
            {
                if (keepB) r.Add(b[j]);
                j++;
            }
        }
        if (keepA)
        {
            for (; i < a.Length; i++) r.Add(a[i]);
        }
        if (keepB)
        {
            for (; j < b.Length; j++) r.Add(b[j]);
        }
        return FromSortedUnique(r.ToArray());
    }

    /// <inheritdoc />
    public IEnumerator<RegoValue> GetEnumerator() => ((IEnumerable<RegoValue>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private protected override int CompareSameKind(RegoValue other) => ValueSequences.Compare(_items, ((RegoSet)other)._items);

    private protected override bool EqualsSameKind(RegoValue other) =>
        GetHashCode() == other.GetHashCode() && ValueSequences.Equal(_items, ((RegoSet)other)._items);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        int h = _hash;
        if (h == 0)
        {
            h = ValueSequences.Hash(0x5E7, _items);
            _hash = h;
        }

        return h;
    }

    internal override void AppendRego(StringBuilder sb)
    {
        if (_items.Length == 0)
        {
            sb.Append("set()");
            return;
        }
        sb.Append('{');
        for (int i = 0; i < _items.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }
            _items[i].AppendRego(sb);
        }
        sb.Append('}');
    }
}
