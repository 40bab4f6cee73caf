using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Higress.Core.Diagnostics;
using Higress.Core.Plan;
using Higress.Core.Plugins;
using Higress.Core.Resources;
using Higress.Hosting.Plugins.KeyRateLimit;
using Higress.Hosting.RateLimiting;
using Higress.Hosting.Runtime;
using Microsoft.AspNetCore.Http;

namespace Higress.Benchmarks;

/// <summary>
/// The per-request cost of the local rate limiters' admit path (docs/benchmarks.md "Rate limiting (local)"): the Route
/// <c>rateLimit</c> (<see cref="RouteRateLimiter.TryAdmit"/>, with its three response headers) and the
/// <c>key-rate-limit</c> plugin, for one warm key and for <see cref="Keys"/> keys in turn. Budgets are large enough that
/// every request is admitted: the refusal path writes a response and is not per-request overhead.
/// </summary>
[MemoryDiagnoser]
public class RateLimitBenchmarks
{
    private const int Keys = 10_000;
    private static readonly RoutePlan Route = new("Route/default/r/0", new ResourceKey(ResourceKinds.Route, "default", "r"), null, new RouteOrder(null, 0, 0), [], [], new ForwardAction([]));

    private RouteRateLimiter _route = null!;
    private KeyRateLimitPlugin _plugin = null!;
    private KeyRateLimitConfig _config = null!;
    private KeyRateLimitPlugin.State _state = null!;
    private string[] _keys = [];
    private HttpContext[] _contexts = [];
    private PluginContext[] _pluginContexts = [];
    private PluginContext _unlisted = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var plan = new RateLimitPlan(int.MaxValue, RateLimitUnit.Second, 0, RateLimitKey.Header, "x-ca-key");
        _route = new RouteRateLimiter(plan, new RateLimitPartitions(plan, 100_000, time: null));

        _plugin = new KeyRateLimitPlugin(new HigressMetrics(new HigressMeter()), TimeProvider.System);
        var keys = Enumerable.Range(0, Keys).Select(i => new { key = "key-" + i.ToString(CultureInfo.InvariantCulture), query_per_second = int.MaxValue });
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(new { limit_by_header = "x-ca-key", limit_keys = keys }));
        var parse = new PluginConfigContext(KeyRateLimitPlugin.PluginName, "Extension default/bench");
        _config = _plugin.ParseConfig(json.RootElement, parse);
        if (parse.HasErrors)
        {
            throw new InvalidOperationException(string.Join("; ", parse.Errors));
        }

        _state = _plugin.CreateState(_config);
        _keys = [.. Enumerable.Range(0, Keys).Select(i => "key-" + i.ToString(CultureInfo.InvariantCulture))];
        _contexts = new HttpContext[Keys];
        _pluginContexts = new PluginContext[Keys];
        for (var i = 0; i < Keys; i++)
        {
            var http = new DefaultHttpContext();
            http.Request.Headers["x-ca-key"] = _keys[i];
            _contexts[i] = http;
            _pluginContexts[i] = new PluginContext(http, Route);
        }

        var other = new DefaultHttpContext();
        other.Request.Headers["x-ca-key"] = "not-listed";
        _unlisted = new PluginContext(other, Route);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _route.Dispose();
        _state.Dispose();
    }

    // The store alone (bucket lookup and token), without reading the key from a request: the many-keys rows above
    // include the cache misses of touching 10,000 different request objects.
    [Benchmark]
    public bool Store_WarmKey()
    {
        using var lease = _route.Partitions.Get(_keys[0]).AttemptAcquire();
        return lease.IsAcquired;
    }

    [Benchmark]
    public bool Store_ManyKeys()
    {
        using var lease = _route.Partitions.Get(_keys[Next()]).AttemptAcquire();
        return lease.IsAcquired;
    }

    [Benchmark]
    public int? RouteRateLimit_WarmKey() => _route.TryAdmit(_contexts[0]);

    [Benchmark]
    public int? RouteRateLimit_ManyKeys() => _route.TryAdmit(_contexts[Next()]);

    // One request object whose header takes the next key: many keys without touching many cold objects (the header
    // write is included).
    [Benchmark]
    public int? RouteRateLimit_ManyKeys_OneRequest()
    {
        var http = _pluginContexts[0].HttpContext;
        http.Request.Headers["x-ca-key"] = _keys[Next()];
        return _route.TryAdmit(http);
    }

    [Benchmark]
    public bool KeyRateLimit_ManyKeys_OneRequest()
    {
        var context = _pluginContexts[0];
        context.HttpContext.Request.Headers["x-ca-key"] = _keys[Next()];
        return _plugin.OnRequestAsync(context, _config, _state).Result.IsContinue;
    }

    [Benchmark]
    public bool KeyRateLimit_WarmKey() => _plugin.OnRequestAsync(_pluginContexts[0], _config, _state).Result.IsContinue;

    [Benchmark]
    public bool KeyRateLimit_ManyKeys() => _plugin.OnRequestAsync(_pluginContexts[Next()], _config, _state).Result.IsContinue;

    [Benchmark]
    public bool KeyRateLimit_UnlistedKey() => _plugin.OnRequestAsync(_unlisted, _config, _state).Result.IsContinue;

    private int Next() => _next = _next + 1 == Keys ? 0 : _next + 1;
}
