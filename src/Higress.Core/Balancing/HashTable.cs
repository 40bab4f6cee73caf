namespace Higress.Core.Balancing;

/// <summary>A consistent-hash lookup table built once for a set of weighted members; lookups are pure and allocation-free.</summary>
internal abstract class HashTable
{
    /// <summary>The member (an index into the list the table was built from) that owns <paramref name="keyHash"/>, or -1 when no member has weight.</summary>
    public abstract int Lookup(ulong keyHash);

    /// <summary>Builds a ring of at least <paramref name="size"/> entries or a Maglev table of <paramref name="size"/> (a prime) entries.</summary>
    /// <param name="names">Each member's stable name (its placement on the table depends on it only).</param>
    /// <param name="weights">Each member's weight; 0 leaves the member out.</param>
    /// <param name="maglev">True for Maglev, false for a ring.</param>
    /// <param name="size">The ring's minimum size, or the Maglev table's size.</param>
    /// <param name="configured">The weights of all the cluster's endpoints, which size a ring (see <see cref="HashRing.Scale"/>).</param>
    public static HashTable Build(IReadOnlyList<string> names, IReadOnlyList<int> weights, bool maglev, int size, IReadOnlyList<int> configured) =>
        maglev ? MaglevTable.Build(names, weights, size) : HashRing.Build(names, weights, HashRing.Scale(configured, size));
}
