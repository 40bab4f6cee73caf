using Higress.Core.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Higress.Core.Plugins.BuiltIn.JwtAuth;

/// <summary>
/// A JSON Web Key Set fetched from <c>jwks_uri</c> and cached for the life of one plugin instance. It is fetched in the
/// background when the instance is created (applying a config never waits for it), refreshed on a schedule and when a
/// token names an unknown <c>kid</c> (at most once per <see cref="UnknownKidInterval"/>), and a failed fetch keeps the
/// last good set. Until the first fetch succeeds a request waits at most <see cref="FirstFetchWait"/>.
/// </summary>
internal sealed partial class RemoteJwks : IDisposable
{
    /// <summary>How often a good key set is fetched again.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(5);

    /// <summary>The least time between two fetches caused by unknown key ids.</summary>
    public static readonly TimeSpan UnknownKidInterval = TimeSpan.FromSeconds(30);

    /// <summary>The longest a request waits for keys when none were fetched yet.</summary>
    public static readonly TimeSpan FirstFetchWait = TimeSpan.FromSeconds(5);

    // Retries after a failure back off from 1 s to this, so that a JWKS host that comes up is noticed quickly.
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    // While there are no keys at all, a request may start a fetch this often.
    private static readonly TimeSpan NoKeysInterval = TimeSpan.FromSeconds(1);

    private const int MaxJwksBytes = 1024 * 1024;

    private readonly Uri _uri;
    private readonly IHttpClientFactory _httpClients;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly ITimer _timer;
    private volatile JwtKeys? _keys;
    private Task<JwtKeys?>? _fetch;
    private long _lastFetchStarted;
    private long _lastUnknownKidFetch;
    private int _failures;

    public RemoteJwks(Uri uri, IHttpClientFactory httpClients, TimeProvider time, ILogger logger)
    {
        _uri = uri;
        _httpClients = httpClients;
        _time = time;
        _logger = logger;
        _lastUnknownKidFetch = long.MinValue;
        _timer = time.CreateTimer(static s => ((RemoteJwks)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _ = FetchAsync();
    }

    /// <summary>The last good key set, or null before the first successful fetch.</summary>
    public JwtKeys? Keys => _keys;

    /// <summary>The key set; before the first successful fetch, waits a bounded time for one.</summary>
    public ValueTask<JwtKeys?> GetAsync(CancellationToken cancellationToken)
    {
        var keys = _keys;
        if (keys is not null)
        {
            return new ValueTask<JwtKeys?>(keys);
        }

        return WaitAsync(FetchIfIdleFor(NoKeysInterval), cancellationToken);
    }

    /// <summary>
    /// Fetches the set again because a token named a key id it does not hold, unless that was done less than
    /// <see cref="UnknownKidInterval"/> ago; returns the (possibly unchanged) set.
    /// </summary>
    public ValueTask<JwtKeys?> RefreshForUnknownKidAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastUnknownKidFetch);
        if (last != long.MinValue && _time.GetElapsedTime(last, now) < UnknownKidInterval)
        {
            return new ValueTask<JwtKeys?>(_keys);
        }

        if (Interlocked.CompareExchange(ref _lastUnknownKidFetch, now, last) != last)
        {
            // Another request just started the refresh: use whatever it brings.
            return WaitAsync(_fetch, cancellationToken);
        }

        Log.UnknownKidRefresh(_logger, _uri);
        return WaitAsync(FetchAsync(), cancellationToken);
    }

    private async ValueTask<JwtKeys?> WaitAsync(Task<JwtKeys?>? fetch, CancellationToken cancellationToken)
    {
        if (fetch is not null)
        {
            try
            {
                await fetch.WaitAsync(FirstFetchWait, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Answer with what there is; the fetch goes on in the background.
            }
        }

        return _keys;
    }

    private Task<JwtKeys?>? FetchIfIdleFor(TimeSpan interval)
    {
        lock (_gate)
        {
            if (_fetch is { IsCompleted: false } running)
            {
                return running;
            }

            return _time.GetElapsedTime(_lastFetchStarted) < interval ? null : StartFetch();
        }
    }

    private Task<JwtKeys?> FetchAsync()
    {
        lock (_gate)
        {
            return _fetch is { IsCompleted: false } running ? running : StartFetch();
        }
    }

    // Called under _gate.
    private Task<JwtKeys?> StartFetch()
    {
        _lastFetchStarted = _time.GetTimestamp();
        _fetch = Task.Run(FetchOnceAsync);
        return _fetch;
    }

    private async Task<JwtKeys?> FetchOnceAsync()
    {
        TimeSpan next;
        try
        {
            using var client = _httpClients.CreateClient(nameof(RemoteJwks));
            client.Timeout = TimeSpan.FromSeconds(10);
            client.MaxResponseContentBufferSize = MaxJwksBytes;
            var json = await client.GetStringAsync(_uri, _stopping.Token).ConfigureAwait(false);
            if (!JwtKeys.TryParse(json, out var keys, out var problem))
            {
                throw new InvalidDataException("the response " + problem);
            }

            _keys = keys;
            _failures = 0;
            next = RefreshInterval;
            Log.Fetched(_logger, _uri, keys.SigningKeys.Count);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidDataException or IOException or ObjectDisposedException)
        {
            if (_stopping.IsCancellationRequested)
            {
                return _keys;
            }

            _failures++;
            next = TimeSpan.FromSeconds(Math.Min(MaxRetryDelay.TotalSeconds, Math.Pow(2, _failures - 1)));
            Log.FetchFailed(_logger, _uri, ex.Message, _keys?.SigningKeys.Count ?? 0, next);
        }

        try
        {
            _timer.Change(next, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // The instance was released while fetching.
        }

        return _keys;
    }

    private void OnTimer() => _ = FetchAsync();

    public void Dispose()
    {
        _stopping.Cancel();
        _timer.Dispose();
        _stopping.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.JwksFetched, Level = LogLevel.Information, Message = "jwt-auth: fetched {Count} signing keys from {Uri}")]
        public static partial void Fetched(ILogger logger, Uri uri, int count);

        [LoggerMessage(EventId = EventIds.JwksFetchFailed, Level = LogLevel.Warning, Message = "jwt-auth: fetching the key set from {Uri} failed ({Reason}); keeping the last good set ({Count} keys), next attempt in {Retry}")]
        public static partial void FetchFailed(ILogger logger, Uri uri, string reason, int count, TimeSpan retry);

        [LoggerMessage(EventId = EventIds.JwksUnknownKid, Level = LogLevel.Information, Message = "jwt-auth: a token names a key id not in the set from {Uri}; fetching it again")]
        public static partial void UnknownKidRefresh(ILogger logger, Uri uri);
    }
}
