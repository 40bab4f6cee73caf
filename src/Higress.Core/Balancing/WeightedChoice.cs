namespace Higress.Core.Balancing;

/// <summary>Picks a member at random in proportion to its weight (for RANDOM with endpoint weights).</summary>
internal sealed class WeightedChoice
{
    private readonly long[] _cumulative;

    private WeightedChoice(long[] cumulative) => _cumulative = cumulative;

    /// <summary>The choice over <paramref name="weights"/>; members with weight 0 are never picked.</summary>
    public static WeightedChoice Build(IReadOnlyList<int> weights)
    {
        var cumulative = new long[weights.Count];
        long sum = 0;
        for (var i = 0; i < weights.Count; i++)
        {
            sum += Math.Max(0, weights[i]);
            cumulative[i] = sum;
        }

        return new WeightedChoice(cumulative);
    }

    /// <summary>The member that <paramref name="sample"/> (uniform in [0, 1)) lands on, or -1 when no member has weight.</summary>
    public int Pick(double sample)
    {
        var total = _cumulative.Length == 0 ? 0 : _cumulative[^1];
        if (total == 0)
        {
            return -1;
        }

        // The first member whose cumulative weight exceeds the point; members with weight 0 repeat the previous sum and
        // so are never first.
        var point = (long)(sample * total);
        int low = 0, high = _cumulative.Length - 1;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (_cumulative[middle] > point)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }

    /// <summary>
    /// Least request by weight (Envoy's <c>active_request_bias</c> 1.0): a member is picked at random in proportion to
    /// weight / (active requests + 1), so an idle cluster splits by weight and a busy member loses its share.
    /// </summary>
    /// <param name="weights">Each member's weight.</param>
    /// <param name="members">The members, in the order of <paramref name="weights"/>.</param>
    /// <param name="active">A member's active requests (a static lambda, so that no closure is allocated).</param>
    /// <param name="sample">Uniform in [0, 1).</param>
    /// <returns>The member, or -1 when no member has weight.</returns>
    public static int PickLeastLoaded<T>(ReadOnlySpan<int> weights, IReadOnlyList<T> members, Func<T, int> active, double sample)
    {
        double total = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            total += weights[i] <= 0 ? 0 : weights[i] / (active(members[i]) + 1.0);
        }

        if (total <= 0)
        {
            return -1;
        }

        var point = sample * total;
        var last = -1;
        for (var i = 0; i < weights.Length; i++)
        {
            if (weights[i] <= 0)
            {
                continue;
            }

            last = i;
            point -= weights[i] / (active(members[i]) + 1.0);
            if (point < 0)
            {
                return i;
            }
        }

        return last;
    }
}
