namespace Higress.Core.Balancing;

/// <summary>
/// Smooth weighted round robin (nginx's, which Envoy's EDF scheduler matches in effect), unrolled once into a fixed
/// sequence: picking is one atomic increment, and weights 1:2:7 give exactly 1, 2 and 7 picks in every 10, interleaved
/// rather than in runs.
/// </summary>
internal sealed class WeightedSchedule
{
    /// <summary>Bounds the unrolled sequence; larger weight sums are scaled down to it, which keeps shares to within 1/this.</summary>
    private const int MaximumLength = 4096;

    private readonly int[] _sequence;
    private int _position = -1;

    private WeightedSchedule(int[] sequence) => _sequence = sequence;

    /// <summary>The schedule of <paramref name="weights"/>; members with weight 0 never come up.</summary>
    public static WeightedSchedule Build(IReadOnlyList<int> weights)
    {
        var scaled = Scale(weights);
        var length = scaled.Sum();
        var sequence = new int[length];
        var current = new long[scaled.Length];
        for (var p = 0; p < length; p++)
        {
            var best = -1;
            for (var i = 0; i < scaled.Length; i++)
            {
                current[i] += scaled[i];
                if (scaled[i] > 0 && (best < 0 || current[i] > current[best]))
                {
                    best = i;
                }
            }

            current[best] -= length;
            sequence[p] = best;
        }

        return new WeightedSchedule(sequence);
    }

    /// <summary>The next member, or -1 when no member has weight.</summary>
    public int Next()
    {
        if (_sequence.Length == 0)
        {
            return -1;
        }

        var position = (uint)Interlocked.Increment(ref _position);
        return _sequence[position % (uint)_sequence.Length];
    }

    private static int[] Scale(IReadOnlyList<int> weights)
    {
        var gcd = 0;
        long total = 0;
        foreach (var weight in weights)
        {
            if (weight > 0)
            {
                gcd = Gcd(gcd, weight);
                total += weight;
            }
        }

        if (total == 0)
        {
            return new int[weights.Count];
        }

        var divisor = Math.Max(gcd, total / gcd > MaximumLength ? total / (double)MaximumLength : gcd);
        return [.. weights.Select(w => w <= 0 ? 0 : Math.Max(1, (int)Math.Round(w / divisor)))];
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
}
