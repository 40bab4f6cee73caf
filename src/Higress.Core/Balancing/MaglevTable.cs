namespace Higress.Core.Balancing;

/// <summary>
/// Google's Maglev lookup table, weighted as Envoy's: each member fills table slots in the order of its own permutation
/// (offset and skip from two hashes of its name), heavier members taking turns more often, until every slot is owned.
/// Lookup is one modulo; losing a member moves little more than its own slots.
/// </summary>
internal sealed class MaglevTable : HashTable
{
    private const long OffsetSeed = 0;
    private const long SkipSeed = 1;

    private readonly int[] _slots;

    private MaglevTable(int[] slots) => _slots = slots;

    public static MaglevTable Build(IReadOnlyList<string> names, IReadOnlyList<int> weights, int size)
    {
        var members = Enumerable.Range(0, weights.Count).Where(i => weights[i] > 0).ToArray();
        if (members.Length == 0)
        {
            return new MaglevTable([]);
        }

        var offset = new long[members.Length];
        var skip = new long[members.Length];
        var next = new long[members.Length];
        var target = new long[members.Length];
        long heaviest = members.Max(i => weights[i]);
        for (var m = 0; m < members.Length; m++)
        {
            offset[m] = (long)(KeyHash.Of(names[members[m]], OffsetSeed) % (ulong)size);
            skip[m] = (long)(KeyHash.Of(names[members[m]], SkipSeed) % (ulong)(size - 1)) + 1;
        }

        var slots = new int[size];
        Array.Fill(slots, -1);
        var filled = 0;

        // Round n: a member takes a slot when n x its weight has caught up with its target, which grows by the
        // heaviest weight per slot taken; so slots are shared in proportion to weight.
        for (long n = 0; filled < size; n++)
        {
            for (var m = 0; m < members.Length && filled < size; m++)
            {
                if (n * weights[members[m]] < target[m])
                {
                    continue;
                }

                target[m] += heaviest;
                var slot = (offset[m] + (next[m] * skip[m])) % size;
                while (slots[slot] >= 0)
                {
                    next[m]++;
                    slot = (offset[m] + (next[m] * skip[m])) % size;
                }

                slots[slot] = members[m];
                next[m]++;
                filled++;
            }
        }

        return new MaglevTable(slots);
    }

    public override int Lookup(ulong keyHash) => _slots.Length == 0 ? -1 : _slots[(int)(keyHash % (ulong)_slots.Length)];
}
