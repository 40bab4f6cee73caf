using System.Collections;
using System.Text;

namespace Higress.Opa.Values;

/// <summary>An immutable Rego array.</summary>
public sealed class RegoArray : RegoValue, IReadOnlyList<RegoValue>
{
    /// <summary>The empty array.</summary>
    public static readonly RegoArray Empty = new([]);

    private readonly RegoValue[] _items;
    private int _hash;

    private RegoArray(RegoValue[] items) => _items = items;

    /// <summary>Creates an array (copies the items).</summary>
    public static RegoArray Create(IEnumerable<RegoValue> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var a = items.ToArray();
        return a.Length == 0 ? Empty : new RegoArray(a);
    }

    /// <summary>Creates an array (copies the items).</summary>
    public static RegoArray Create(params ReadOnlySpan<RegoValue> items) => items.Length == 0 ? Empty : new RegoArray(items.ToArray());

    /// <summary>Wraps an array the caller gives up (must never be mutated afterwards).</summary>
    internal static RegoArray Wrap(RegoValue[] items) => items.Length == 0 ? Empty : new RegoArray(items);

    /// <inheritdoc />
    public override RegoKind Kind => RegoKind.Array;

    /// <summary>Number of elements.</summary>
    public int Count => _items.Length;

    /// <summary>Element at an index.</summary>
    public RegoValue this[int index] => _items[index];

    /// <summary>The elements as a span.</summary>
    public ReadOnlySpan<RegoValue> AsSpan() => _items;

    /// <inheritdoc />
    public IEnumerator<RegoValue> GetEnumerator() => ((IEnumerable<RegoValue>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private protected override int CompareSameKind(RegoValue other) => ValueSequences.Compare(_items, ((RegoArray)other)._items);

    private protected override bool EqualsSameKind(RegoValue other) =>
        GetHashCode() == other.GetHashCode() && ValueSequences.Equal(_items, ((RegoArray)other)._items);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        int h = _hash;
        if (h == 0)
        {
            h = ValueSequences.Hash(0xA77, _items);
            _hash = h;
        }

        return h;
    }

    internal override void AppendRego(StringBuilder sb)
    {
        sb.Append('[');
        for (int i = 0; i < _items.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }
            _items[i].AppendRego(sb);
        }
        sb.Append(']');
    }
}
