using System.Diagnostics;
using Higress.Opa.Values;

namespace Higress.Opa.Builtins;

/// <summary>
/// What a built-in can see of the evaluation that calls it. One instance per evaluation; used by one thread at a time.
/// </summary>
public sealed class BuiltinContext
{
    private Dictionary<object, object?>? _cache;
    internal long DeadlineTimestamp = long.MaxValue;

    /// <summary>True when built-in errors must be raised instead of making the call undefined.</summary>
    public bool StrictBuiltinErrors { get; internal set; }

    /// <summary>Cancellation of the evaluation.</summary>
    public CancellationToken CancellationToken { get; internal set; }

    /// <summary>The evaluation's "now", fixed for the whole evaluation (time.now_ns returns it).</summary>
    public DateTimeOffset Now { get; internal set; } = DateTimeOffset.UtcNow;

    /// <summary><see cref="Now"/> in nanoseconds since the Unix epoch.</summary>
    public long NowNanoseconds => (Now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    /// <summary>The value returned by <c>opa.runtime()</c> (an object with <c>env</c>, <c>version</c>, ...).</summary>
    public RegoValue Runtime => _runtime ??= RuntimeFactory?.Invoke() ?? RegoObject.Empty;

    private RegoValue? _runtime;

    internal Func<RegoValue>? RuntimeFactory { get; set; }

    /// <summary>True when network built-ins (<c>http.send</c>, <c>net.lookup_ip_addr</c>) may be used.</summary>
    public bool AllowNetwork { get; internal set; }

    /// <summary>The client <c>http.send</c> should use when <see cref="AllowNetwork"/> is true (null: create one).</summary>
    public HttpClient? HttpClient { get; internal set; }

    /// <summary>Where <c>print</c> writes (null: discarded).</summary>
    public Action<string>? PrintSink { get; internal set; }

    /// <summary>A per-evaluation cache built-ins may use (e.g. <c>rand.intn</c>, <c>http.send</c>) so repeated calls agree.</summary>
    public IDictionary<object, object?> Cache => _cache ??= [];

    /// <summary>Time left in the evaluation's budget.</summary>
    public TimeSpan RemainingTime
    {
        get
        {
            if (DeadlineTimestamp == long.MaxValue)
            {
                return TimeSpan.MaxValue;
            }
            long left = DeadlineTimestamp - Stopwatch.GetTimestamp();
            return left <= 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(0, left);
        }
    }

    /// <summary>The match timeout to give a <see cref="System.Text.RegularExpressions.Regex"/>: 100 ms capped by the remaining budget (at least 1 ms).</summary>
    public TimeSpan RegexTimeout
    {
        get
        {
            var left = RemainingTime;
            var t = left < TimeSpan.FromMilliseconds(100) ? left : TimeSpan.FromMilliseconds(100);
            return t < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : t;
        }
    }

    /// <summary>Throws a <see cref="RegoException"/> (<c>eval_cancel_error</c>) when the budget is spent or the evaluation was cancelled. Call it in long loops.</summary>
    public void CheckLimits()
    {
        if (CancellationToken.IsCancellationRequested)
        {
            throw new RegoException(RegoErrorCodes.EvalCancelError, "caller cancelled query execution");
        }
        if (DeadlineTimestamp != long.MaxValue && Stopwatch.GetTimestamp() > DeadlineTimestamp)
        {
            throw new RegoException(RegoErrorCodes.EvalCancelError, "evaluation exceeded its time budget");
        }
    }

    internal void Reset()
    {
        _cache?.Clear();
        _runtime = null;
    }
}
