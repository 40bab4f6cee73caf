using System.Collections;
using System.Text;

namespace Higress.Opa.Values;

/// <summary>An immutable Rego object. Keys may be any value; they are kept sorted in OPA order.</summary>
public sealed class RegoObject : RegoValue, IReadOnlyCollection<KeyValuePair<RegoValue, RegoValue>>
{
    /// <summary>The empty object.</summary>
    public static readonly RegoObject Empty = new([], []);

    private readonly RegoValue[] _keys; // sorted, unique
    private readonly RegoValue[] _values;
    private Dictionary<RegoValue, int>? _lookup;
    private int _hash;

    private RegoObject(RegoValue[] keys, RegoValue[] values)
    {
        _keys = keys;
        _values = values;
    }

    /// <summary>Creates an object from pairs; a later pair with an equal key replaces an earlier one.</summary>
    public static RegoObject Create(IEnumerable<KeyValuePair<RegoValue, RegoValue>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var list = pairs as IReadOnlyCollection<KeyValuePair<RegoValue, RegoValue>> ?? pairs.ToList();
        var keys = new RegoValue[list.Count];
        var values = new RegoValue[list.Count];
        int n = 0;
        foreach (var kv in list)
        {
            keys[n] = kv.Key;
            values[n] = kv.Value;
            n++;
        }
        return FromUnsorted(keys, values, n);
    }

    /// <summary>Creates an object with string keys.</summary>
    public static RegoObject Create(IEnumerable<KeyValuePair<string, RegoValue>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        return Create(pairs.Select(p => new KeyValuePair<RegoValue, RegoValue>(RegoString.Create(p.Key), p.Value)));
    }

    /// <summary>Builds an object from parallel arrays it takes ownership of (unsorted; the last duplicate wins).</summary>
    internal static RegoObject FromUnsorted(RegoValue[] keys, RegoValue[] values, int count)
    {
        if (count == 0)
        {
            return Empty;
        }
        if (keys.Length != count)
        {
            Array.Resize(ref keys, count);
            Array.Resize(ref values, count);
        }
        bool sorted = true;
        for (int i = 1; i < count; i++)
        {
            if (Compare(keys[i - 1], keys[i]) >= 0)
            {
                sorted = false;
                break;
            }
        }
        if (!sorted && count <= 8)
        {
            // small objects: stable insertion sort in place; for duplicates the last one wins
            for (int i = 1; i < count; i++)
            {
                var k = keys[i];
                var v = values[i];
                int j = i - 1;
                while (j >= 0 && Compare(keys[j], k) > 0)
                {
                    keys[j + 1] = keys[j];
                    values[j + 1] = values[j];
                    j--;
                }
                keys[j + 1] = k;
                values[j + 1] = v;
            }
            int w = 0;
            for (int i = 0; i < count; i++)
            {
                if (w > 0 && Compare(keys[w - 1], keys[i]) == 0)
                {
                    values[w - 1] = values[i];
                }
                else
                {
                    keys[w] = keys[i];
                    values[w] = values[i];
                    w++;
                }
            }
            if (w != count)
            {
                Array.Resize(ref keys, w);
                Array.Resize(ref values, w);
            }
        }
        else if (!sorted)
        {
            // Stable sort on index so that for duplicates the last one wins.
            var idx = new int[count];
            for (int i = 0; i < count; i++) idx[i] = i;
            var k0 = keys;
            Array.Sort(idx, (x, y) => { int c = Compare(k0[x], k0[y]); return c != 0 ? c : x.CompareTo(y); });
            var nk = new List<RegoValue>(count);
            var nv = new List<RegoValue>(count);
            foreach (int i in idx)
            {
                if (nk.Count > 0 && Compare(nk[^1], keys[i]) == 0)
                {
                    nv[^1] = values[i];
                }
                else
                {
                    nk.Add(keys[i]);
                    nv.Add(values[i]);
                }
            }
            keys = nk.ToArray();
            values = nv.ToArray();
        }
        return new RegoObject(keys, values);
    }

    /// <summary>For objects built by rules: keys in the order the rules produced them (OPA enumerates virtual documents in rule order).</summary>
    internal RegoValue[]? ProductionOrder { get; set; }

    /// <inheritdoc />
    public override RegoKind Kind => RegoKind.Object;

    /// <summary>Number of keys.</summary>
    public int Count => _keys.Length;

    /// <summary>The keys in sorted order.</summary>
    public ReadOnlySpan<RegoValue> Keys => _keys;

    /// <summary>The values, in the order of <see cref="Keys"/>.</summary>
    public ReadOnlySpan<RegoValue> Values => _values;

    private int IndexOf(RegoValue key)
    {
        var keys = _keys;
        if (keys.Length <= 8)
        {
            for (int i = 0; i < keys.Length; i++)
            {
                if (keys[i].Equals(key))
                {
                    return i;
                }
            }
            return -1;
        }
        var lookup = _lookup;
        if (lookup is null)
        {
            lookup = new Dictionary<RegoValue, int>(keys.Length);
            for (int i = 0; i < keys.Length; i++)
            {
                lookup[keys[i]] = i;
            }
            _lookup = lookup;
        }
        return lookup.TryGetValue(key, out int idx) ? idx : -1;
    }

    /// <summary>Looks a key up.</summary>
    public bool TryGetValue(RegoValue key, out RegoValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        int i = IndexOf(key);
        if (i < 0)
        {
            value = Null;
            return false;
        }
        value = _values[i];
        return true;
    }

    /// <summary>Looks a string key up.</summary>
    public bool TryGetValue(string key, out RegoValue value) => TryGetValue(RegoString.Create(key), out value);

    /// <summary>Gets a value or null (the .NET null) when absent.</summary>
    public RegoValue? Get(RegoValue key) => TryGetValue(key, out var v) ? v : null;

    /// <summary>Gets a value by string key or null (the .NET null) when absent.</summary>
    public RegoValue? Get(string key) => TryGetValue(key, out var v) ? v : null;

    /// <summary>True when the key is present.</summary>
    public bool ContainsKey(RegoValue key) => IndexOf(key) >= 0;

    /// <summary>Returns a copy with the key set to the value.</summary>
    public RegoObject With(RegoValue key, RegoValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        int i = IndexOf(key);
        if (i >= 0)
        {
            var v = (RegoValue[])_values.Clone();
            v[i] = value;
            return new RegoObject(_keys, v);
        }
        int pos = Array.BinarySearch(_keys, key, Comparer<RegoValue>.Create(Compare));
        pos = pos < 0 ? ~pos : pos;
        var nk = new RegoValue[_keys.Length + 1];
        var nv = new RegoValue[_keys.Length + 1];
        Array.Copy(_keys, nk, pos);
        Array.Copy(_values, nv, pos);
        nk[pos] = key;
        nv[pos] = value;
        Array.Copy(_keys, pos, nk, pos + 1, _keys.Length - pos);
        Array.Copy(_values, pos, nv, pos + 1, _keys.Length - pos);
        return new RegoObject(nk, nv);
    }

    /// <summary>Returns a copy without the key.</summary>
    public RegoObject Without(RegoValue key)
    {
        int i = IndexOf(key);
        if (i < 0)
        {
            return this;
        }
        var nk = new List<RegoValue>(_keys);
        var nv = new List<RegoValue>(_values);
        nk.RemoveAt(i);
        nv.RemoveAt(i);
        return nk.Count == 0 ? Empty : new RegoObject(nk.ToArray(), nv.ToArray());
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<RegoValue, RegoValue>> GetEnumerator()
    {
        for (int i = 0; i < _keys.Length; i++)
        {
            yield return new KeyValuePair<RegoValue, RegoValue>(_keys[i], _values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private protected override int CompareSameKind(RegoValue other)
    {
        var o = (RegoObject)other;
        int n = Math.Min(_keys.Length, o._keys.Length);
        for (int i = 0; i < n; i++)
        {
            int c = Compare(_keys[i], o._keys[i]);
            if (c != 0)
            {
                return c;
            }
            c = Compare(_values[i], o._values[i]);
            if (c != 0)
            {
                return c;
            }
        }
        return _keys.Length.CompareTo(o._keys.Length);
    }

    private protected override bool EqualsSameKind(RegoValue other)
    {
        var o = (RegoObject)other;
        if (o._keys.Length != _keys.Length || GetHashCode() != o.GetHashCode())
        {
            return false;
        }
        for (int i = 0; i < _keys.Length; i++)
        {
            if (!_keys[i].Equals(o._keys[i]) || !_values[i].Equals(o._values[i]))
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
            hc.Add(0x0B1);
            for (int i = 0; i < _keys.Length; i++)
            {
                hc.Add(_keys[i].GetHashCode());
                hc.Add(_values[i].GetHashCode());
            }
            h = hc.ToHashCode() | 1;
            _hash = h;
        }
        return h;
    }

    internal override void AppendRego(StringBuilder sb)
    {
        sb.Append('{');
        for (int i = 0; i < _keys.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }
            _keys[i].AppendRego(sb);
            sb.Append(": ");
            _values[i].AppendRego(sb);
        }
        sb.Append('}');
    }
}
