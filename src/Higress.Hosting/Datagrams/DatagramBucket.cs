namespace Higress.Hosting.Datagrams;

/// <summary>
/// A token bucket for one client's datagrams: <see cref="Rate"/> tokens a second, at most <see cref="Burst"/> held.
/// Used only by its listener's receive loop, so it needs no lock.
/// </summary>
internal struct DatagramBucket(double rate, int burst, long now)
{
    private double _tokens = burst;
    private long _refilled = now;

    public readonly double Rate => rate;

    public readonly int Burst => burst;

    /// <summary>Takes one token; false when the bucket is empty (the datagram is over the limit).</summary>
    public bool TryTake(long now, TimeProvider time)
    {
        if (rate <= 0)
        {
            return true;
        }

        _tokens = Math.Min(burst, _tokens + (time.GetElapsedTime(_refilled, now).TotalSeconds * rate));
        _refilled = now;
        if (_tokens < 1)
        {
            return false;
        }

        _tokens -= 1;
        return true;
    }
}
