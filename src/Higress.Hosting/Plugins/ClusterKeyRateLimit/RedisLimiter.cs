using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Higress.Core.Diagnostics;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Higress.Hosting.Plugins.ClusterKeyRateLimit;

/// <summary>
/// One plugin instance's shared limiter: counters in Redis (a fixed window per key that starts with its first
/// request, as Higress's), updated by one Lua script that grants a block of tokens at a time. Blocks are spent
/// locally, so Redis sees one call per block instead of one per request; a block is never more than 1% of the limit
/// (and at most 1000), so the tokens an instance may hold unspent when a window ends stay under that bound. A request
/// never waits longer than <c>redis.timeout</c>; when Redis cannot be asked, <see cref="LimitOutcome.Unavailable"/>
/// lets the plugin apply <c>failure_mode_deny</c>, the incident is logged once (and its end once), and Redis is tried
/// again every <see cref="RetryInterval"/>.
/// </summary>
internal sealed partial class RedisLimiter : IDisposable
{
    /// <summary>How often a failed Redis is tried again; the multiplexer reconnects on its own in the meantime.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How often, while Redis keeps failing, the connection is replaced by a new one: a multiplexer whose server was
    /// killed and restarted did not always reconnect by itself within seconds, and a new one connects at once.
    /// </summary>
    public static readonly TimeSpan ReconnectInterval = TimeSpan.FromSeconds(2);

    /// <summary>Keys whose leases are kept; beyond it expired ones are swept, and new keys lease one token at a time.</summary>
    public const int MaxKeys = 100_000;

    // KEYS[1] the counter; ARGV limit, window (ms), tokens wanted. Grants min(wanted, limit - used) and returns
    // {granted, used after, ms until the window ends}. The first grant of a window starts it (PEXPIRE), as Higress's
    // script does with EXPIRE.
    private const string LeaseScript = """
        local limit = tonumber(ARGV[1])
        local want = tonumber(ARGV[3])
        local used = tonumber(redis.call('GET', KEYS[1]) or '0')
        local grant = limit - used
        if grant > want then grant = want end
        if grant > 0 then
          used = redis.call('INCRBY', KEYS[1], grant)
        else
          grant = 0
        end
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl < 0 then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          ttl = tonumber(ARGV[2])
        end
        return {grant, used, ttl}
        """;

    private readonly ConcurrentDictionary<string, RedisLease> _leases = new(StringComparer.Ordinal);
    private readonly ConfigurationOptions _options;
    private Task<ConnectionMultiplexer> _connection;
    private long _reconnectedAt;
    private readonly int _database;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Counter<long> _errors;
    private readonly string _rule;
    private readonly KeyValuePair<string, object?> _ruleTag;
    private long _retryAt;
    private int _failing;
    private int _sweeping;

    public RedisLimiter(string ruleName, RedisConfig redis, IReadOnlyList<System.Net.DnsEndPoint> endpoints, TimeProvider time, ILogger logger, Counter<long> errors)
    {
        _rule = ruleName;
        _ruleTag = new("rule", ruleName);
        _database = redis.Database;
        _timeout = TimeSpan.FromMilliseconds(redis.Timeout);
        _time = time;
        _logger = logger;
        _errors = errors;
        _options = Options(redis, endpoints);
        _connection = Connect(_options);
        _reconnectedAt = time.GetTimestamp();
    }

    /// <summary>The block leased at a time for <paramref name="limit"/>: 1% of it, at least 1, at most 1000.</summary>
    public static long BlockSize(long limit) => Math.Clamp(limit / 100, 1, 1000);

    /// <summary>The connection settings: fail fast while disconnected, reconnect by itself, time out at <c>timeout</c>.</summary>
    internal static ConfigurationOptions Options(RedisConfig redis, IReadOnlyList<System.Net.DnsEndPoint> endpoints)
    {
        var timeout = redis.Timeout;
        var options = new ConfigurationOptions
        {
            AbortOnConnectFail = false,
            ConnectTimeout = timeout,
            SyncTimeout = timeout,
            AsyncTimeout = timeout,
            ConnectRetry = 1,
            ReconnectRetryPolicy = new LinearRetry(500),
            BacklogPolicy = BacklogPolicy.FailFast,
            User = string.IsNullOrEmpty(redis.Username) ? null : redis.Username,
            Password = string.IsNullOrEmpty(redis.Password) ? null : redis.Password,
            DefaultDatabase = redis.Database,
            Ssl = redis.Tls,
            SslHost = redis.Tls ? redis.TlsServerName ?? redis.ServiceName : null,
            ClientName = "higress-net",
        };
        if (redis.Tls && redis.TlsInsecureSkipVerify)
        {
            options.CertificateValidation += (_, _, _, _) => true;
        }

        foreach (var endpoint in endpoints)
        {
            options.EndPoints.Add(endpoint.Host, endpoint.Port);
        }

        return options;
    }

    /// <summary>Takes one token for <paramref name="target"/>, leasing a block from Redis when none is left.</summary>
    public async ValueTask<LimitDecision> AcquireAsync(LimitTarget target)
    {
        var lease = LeaseOf(target.Key, out var shared);
        var start = _time.GetTimestamp();

        // Each round either answers or waits for one lease request; a key contended by more requests than a block
        // holds may need a few.
        for (var round = 0; round < 16; round++)
        {
            Task<bool> fetch;
            var now = _time.GetTimestamp();
            lock (lease.Gate)
            {
                if (now >= lease.ExpiresAt)
                {
                    lease.Tokens = 0;
                    lease.Exhausted = false;
                }

                var reset = now >= lease.ExpiresAt ? TimeSpan.Zero : _time.GetElapsedTime(now, lease.ExpiresAt);
                if (lease.Tokens > 0)
                {
                    lease.Tokens--;
                    return new LimitDecision(LimitOutcome.Admitted, target.Count, Math.Max(0, target.Count - lease.GlobalUsed) + lease.Tokens, reset);
                }

                if (lease.Exhausted)
                {
                    return new LimitDecision(LimitOutcome.Rejected, target.Count, 0, reset);
                }

                if (now < Volatile.Read(ref _retryAt))
                {
                    return Unavailable(target);
                }

                // A block grows to the requests that waited for the last one and found no token left: a burst of
                // concurrent requests on one key costs one more round trip, not one per request, and the tokens are
                // spent at once by the requests that asked for them.
                lease.Joiners++;
                if (lease.Fetch is { } pending)
                {
                    fetch = pending;
                }
                else
                {
                    fetch = FetchAsync(lease, target, shared ? Math.Max(BlockSize(target.Count), lease.Backlog) : 1);

                    // A fetch that failed at once (no connection) has already cleared itself; do not keep it.
                    if (!fetch.IsCompleted)
                    {
                        lease.Fetch = fetch;
                    }
                }
            }

            var left = _timeout - _time.GetElapsedTime(start);
            if (left <= TimeSpan.Zero)
            {
                return Unavailable(target);
            }

            try
            {
                if (!await fetch.WaitAsync(left, _time).ConfigureAwait(false))
                {
                    return Unavailable(target);
                }
            }
            catch (TimeoutException)
            {
                return Unavailable(target);
            }
        }

        return new LimitDecision(LimitOutcome.Rejected, target.Count, 0, TimeSpan.FromSeconds(1));
    }

    /// <inheritdoc />
    public void Dispose() => Close(Volatile.Read(ref _connection));

    private static Task<ConnectionMultiplexer> Connect(ConfigurationOptions options)
    {
        var connecting = ConnectionMultiplexer.ConnectAsync(options.Clone());

        // A connect that fails is reported by the first request that needs it; observe it so it is never unobserved.
        _ = connecting.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return connecting;
    }

    private static void Close(Task<ConnectionMultiplexer> connection) =>
        connection.ContinueWith(t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);

    private void ReconnectIfDue()
    {
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _reconnectedAt);
        if (_time.GetElapsedTime(last, now) < ReconnectInterval || Interlocked.CompareExchange(ref _reconnectedAt, now, last) != last)
        {
            return;
        }

        var old = Interlocked.Exchange(ref _connection, Connect(_options));
        Close(old);
    }

    private static LimitDecision Unavailable(LimitTarget target) => new(LimitOutcome.Unavailable, target.Count, 0, TimeSpan.Zero);

    private RedisLease LeaseOf(string key, out bool shared)
    {
        shared = true;
        if (_leases.TryGetValue(key, out var lease))
        {
            return lease;
        }

        if (_leases.Count >= MaxKeys)
        {
            Sweep();
            if (_leases.Count >= MaxKeys)
            {
                // Over the cap: this request gets a lease of its own, one token, not kept.
                shared = false;
                return new RedisLease();
            }
        }

        return _leases.GetOrAdd(key, static _ => new RedisLease());
    }

    private void Sweep()
    {
        if (Interlocked.Exchange(ref _sweeping, 1) == 1)
        {
            return;
        }

        try
        {
            var now = _time.GetTimestamp();
            foreach (var (key, lease) in _leases)
            {
                if (now >= lease.ExpiresAt && lease.Fetch is null)
                {
                    _leases.TryRemove(key, out _);
                }
            }

            if (_leases.Count >= MaxKeys)
            {
                Log.KeyCap(_logger, _rule, MaxKeys);
            }
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    private async Task<bool> FetchAsync(RedisLease lease, LimitTarget target, long want)
    {
        var sent = _time.GetTimestamp();
        try
        {
            var connection = await Volatile.Read(ref _connection).WaitAsync(_timeout, _time).ConfigureAwait(false);
            var windowMs = target.WindowSeconds * 1000L;
            var reply = (RedisResult[]?)await connection.GetDatabase(_database)
                .ScriptEvaluateAsync(LeaseScript, [target.Key], [target.Count, windowMs, want])
                .WaitAsync(_timeout, _time)
                .ConfigureAwait(false);
            if (reply is not { Length: 3 })
            {
                throw new RedisException("the lease script answered " + (reply?.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nothing"));
            }

            var granted = (long)reply[0];
            var used = (long)reply[1];
            var ttl = Math.Max(0, (long)reply[2]);
            lock (lease.Gate)
            {
                // The window ends no later than Redis's: counted from when the script was sent, not answered.
                lease.ExpiresAt = sent + (long)(ttl / 1000.0 * _time.TimestampFrequency);
                lease.Tokens = granted;
                lease.GlobalUsed = used;
                lease.Exhausted = used >= target.Count;
                lease.Backlog = (int)Math.Max(0, lease.Joiners - granted);
                lease.Joiners = 0;
                lease.Fetch = null;
            }

            if (Interlocked.Exchange(ref _failing, 0) == 1)
            {
                Log.RedisRecovered(_logger, _rule);
            }

            return true;
        }
#pragma warning disable CA1031 // Any Redis failure (timeout, refused connection, script error) follows failure_mode_deny; none may fail the request.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            lock (lease.Gate)
            {
                lease.Joiners = 0;
                lease.Fetch = null;
            }

            Volatile.Write(ref _retryAt, _time.GetTimestamp() + (long)(RetryInterval.TotalSeconds * _time.TimestampFrequency));
            _errors.Add(1, _ruleTag);
            if (Interlocked.Exchange(ref _failing, 1) == 0)
            {
                Log.RedisUnavailable(_logger, _rule, ex.GetType().Name, ex.Message);
            }
            else
            {
                ReconnectIfDue();
            }

            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.ClusterRateLimitRedisUnavailable, Level = LogLevel.Warning,
            Message = "cluster-key-rate-limit {Rule}: Redis cannot be reached ({Error}: {Detail}); failure_mode_deny decides until it answers again. Logged once per incident.")]
        public static partial void RedisUnavailable(ILogger logger, string rule, string error, string detail);

        [LoggerMessage(EventId = EventIds.ClusterRateLimitRedisRecovered, Level = LogLevel.Information,
            Message = "cluster-key-rate-limit {Rule}: Redis answers again; requests are limited by the shared counters.")]
        public static partial void RedisRecovered(ILogger logger, string rule);

        [LoggerMessage(EventId = EventIds.ClusterRateLimitKeyCap, Level = LogLevel.Warning,
            Message = "cluster-key-rate-limit {Rule}: {Max} keys hold leases; further keys ask Redis for every request until windows end.")]
        public static partial void KeyCap(ILogger logger, string rule, int max);
    }
}
