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

    /// <summary>
    /// Virtual nodes per unit of weight for <paramref name="configured"/> (the cluster's endpoints, healthy or not), as
    /// Envoy scales: the lightest member gets ceil(its share x minimum) nodes and the others as many in proportion, so
    /// the ring holds at least the minimum and every member with weight is on it. Scaling by the configured endpoints
    /// rather than the available ones keeps each member's nodes when another leaves, so only the leaver's keys move.
    /// </summary>
    public static double Scale(IReadOnlyList<int> configured, int minimumSize)
    {
        var total = configured.Where(w => w > 0).Sum(w => (long)w);
        if (total == 0)
        {
            return 0;
        }

        var lightest = configured.Where(w => w > 0).Min() / (double)total;
        return Math.Min(Math.Ceiling(lightest * minimumSize) / lightest, MaximumSize) / total;
    }

    /// <summary>The ring of the members with weight, each with round(weight x <paramref name="scale"/>) nodes (at least one).</summary>
    public static HashRing Build(IReadOnlyList<string> names, IReadOnlyList<int> weights, double scale)
    {
        var nodesOf = weights.Select(w => w <= 0 ? 0 : (int)Math.Clamp(Math.Round(w * scale), 1, MaximumSize)).ToArray();
        var total = nodesOf.Sum(n => (long)n);
        if (total == 0)
        {
            return new HashRing([], []);
        }

        var entries = new List<(ulong Hash, int Member)>((int)Math.Min(total, MaximumSize));
        var buffer = new char[names.Max(n => n.Length) + 12];
        for (var i = 0; i < weights.Count && entries.Count < MaximumSize; i++)
        {
            names[i].CopyTo(buffer);
            buffer[names[i].Length] = '_';
            for (var n = 0; n < nodesOf[i]; n++)
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
