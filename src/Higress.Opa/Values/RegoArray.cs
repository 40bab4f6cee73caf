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

    private protected override int CompareSameKind(RegoValue other)
    {
        var o = ((RegoArray)other)._items;
        int n = Math.Min(_items.Length, o.Length);
        for (int i = 0; i < n; i++)
        {
            int c = Compare(_items[i], o[i]);
            if (c != 0)
            {
                return c;
            }
        }
        return _items.Length.CompareTo(o.Length);
    }

    private protected override bool EqualsSameKind(RegoValue other)
    {
        var o = ((RegoArray)other)._items;
        if (o.Length != _items.Length || GetHashCode() != other.GetHashCode())
        {
            return false;
        }
        for (int i = 0; i < o.Length; i++)
        {
            if (!_items[i].Equals(o[i]))
            {
                return false;
            }
        }
        return true;
    }

    /// <inheritdoc />
    public override int GetHashCode()
    {
        int h = _hash;
        if (h == 0)
        {
            var hc = new HashCode();
            hc.Add(0xA77);
            foreach (var v in _items)
            {
                hc.Add(v.GetHashCode());
            }
            h = hc.ToHashCode() | 1;
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
