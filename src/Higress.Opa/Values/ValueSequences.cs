namespace Higress.Opa.Values;

/// <summary>Ordering, equality and hashing of element sequences, shared by arrays and (sorted) sets.</summary>
internal static class ValueSequences
{
    public static int Compare(ReadOnlySpan<RegoValue> a, ReadOnlySpan<RegoValue> b)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++)
        {
            int c = RegoValue.Compare(a[i], b[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return a.Length.CompareTo(b.Length);
    }

    public static bool Equal(ReadOnlySpan<RegoValue> a, ReadOnlySpan<RegoValue> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (int i = 0; i < a.Length; i++)
        {
            if (!a[i].Equals(b[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A non-zero hash (0 marks "not computed yet" in the callers' caches).</summary>
    public static int Hash(int seed, ReadOnlySpan<RegoValue> items)
    {
        var hc = new HashCode();
        hc.Add(seed);
        foreach (var v in items)
        {
            hc.Add(v.GetHashCode());
        }

        return hc.ToHashCode() | 1;
    }
}
