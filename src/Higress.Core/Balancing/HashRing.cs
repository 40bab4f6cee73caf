namespace Higress.Core.Balancing;

/// <summary>
/// Envoy's ring hash: each member places virtual nodes on a 64-bit ring in proportion to its weight (at least the
/// minimum ring size in all), and a key belongs to the first node at or after its hash. Losing a member hands only its
/// arcs to the neighbours, so about 1/n of the keys move.
/// </summary>
internal sealed class HashRing : HashTable
{
    /// <summary>Envoy's cap on the ring (<c>maximum_ring_size</c> default), which bounds memory whatever the weights.</summary>
    private const int MaximumSize = 8_388_608;

    private readonly ulong[] _hashes;
    private readonly int[] _members;

    private HashRing(ulong[] hashes, int[] members)
    {
        _hashes = hashes;
        _members = members;
    }

    public int Size => _hashes.Length;

    public static HashRing Build(IReadOnlyList<string> names, IReadOnlyList<int> weights, int minimumSize)
    {
        long total = 0;
        var smallest = long.MaxValue;
        for (var i = 0; i < weights.Count; i++)
        {
            if (weights[i] > 0)
            {
                total += weights[i];
                smallest = Math.Min(smallest, weights[i]);
            }
        }

        if (total == 0)
        {
            return new HashRing([], []);
        }

        // As Envoy: the lightest member gets ceil(its share x minimum) nodes and the others as many in proportion, so the
        // ring holds at least the minimum and every member with weight is on it; the cap bounds it whatever the weights.
        var lightest = smallest / (double)total;
        var scale = Math.Min(Math.Ceiling(lightest * minimumSize) / lightest, MaximumSize);
        var entries = new List<(ulong Hash, int Member)>((int)Math.Min(MaximumSize, scale) + weights.Count);
        var buffer = new char[names.Max(n => n.Length) + 12];
        for (var i = 0; i < weights.Count; i++)
        {
            var nodes = weights[i] <= 0 ? 0 : Math.Max(1, (int)Math.Round(scale * weights[i] / total));
            names[i].CopyTo(buffer);
            buffer[names[i].Length] = '_';
            for (var n = 0; n < nodes; n++)
            {
                n.TryFormat(buffer.AsSpan(names[i].Length + 1), out var written, provider: System.Globalization.CultureInfo.InvariantCulture);
                entries.Add((KeyHash.Of(buffer.AsSpan(0, names[i].Length + 1 + written)), i));
            }
        }

        // Ties (practically never with 64 bits) are broken by member index, so the ring is the same whatever the order of insertion.
        entries.Sort((a, b) => a.Hash != b.Hash ? a.Hash.CompareTo(b.Hash) : a.Member.CompareTo(b.Member));
        return new HashRing([.. entries.Select(e => e.Hash)], [.. entries.Select(e => e.Member)]);
    }

    public override int Lookup(ulong keyHash)
    {
        if (_hashes.Length == 0)
        {
            return -1;
        }

        var index = Array.BinarySearch(_hashes, keyHash);
        if (index < 0)
        {
            index = ~index;
        }

        return _members[index == _hashes.Length ? 0 : index];
    }
}
