namespace Higress.Hosting.Plugins.ClusterKeyRateLimit;

/// <summary>
/// One key's block of tokens leased from Redis for the current window. Guarded by its own lock; at most one lease
/// request per key is in flight, and the requests that find the block empty wait for that one.
/// </summary>
internal sealed class RedisLease
{
    public object Gate { get; } = new();

    /// <summary>Tokens left of the leased blocks.</summary>
    public long Tokens { get; set; }

    /// <summary>The count Redis held for the window after the last lease (this instance's and every other's).</summary>
    public long GlobalUsed { get; set; }

    /// <summary>When the window ends (a <see cref="TimeProvider"/> timestamp): no later than Redis's own expiry.</summary>
    public long ExpiresAt { get; set; }

    /// <summary>True when Redis has no tokens left in this window: requests are refused without asking it.</summary>
    public bool Exhausted { get; set; }

    /// <summary>Requests waiting for the lease request in flight.</summary>
    public int Joiners { get; set; }

    /// <summary>Requests that waited for the last lease request beyond the tokens it got: the next one asks for at least as many.</summary>
    public int Backlog { get; set; }

    /// <summary>The lease request in flight, or null.</summary>
    public Task<bool>? Fetch { get; set; }
}

/// <summary>What the limiter decided for one request.</summary>
internal enum LimitOutcome
{
    Admitted,
    Rejected,
    Unavailable,
}

/// <summary>A decision, with the figures of the quota headers.</summary>
/// <param name="Outcome">Admitted, rejected, or Redis could not be asked in time.</param>
/// <param name="Limit">The limit of the window.</param>
/// <param name="Remaining">Requests left in the window (approximate: other instances' use since this one's last lease is not seen).</param>
/// <param name="Reset">Time until the window ends.</param>
internal readonly record struct LimitDecision(LimitOutcome Outcome, long Limit, long Remaining, TimeSpan Reset);
