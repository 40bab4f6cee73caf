using System.Globalization;
using BenchmarkDotNet.Attributes;
using Higress.Hosting.Runtime;
using Microsoft.AspNetCore.Http;

namespace Higress.Benchmarks;

/// <summary>
/// What Higress adds to a proxied request, alone: <see cref="HigressMiddleware"/> on a real applied plan (match, route
/// feature, backend pick, endpoint hand-over) with the YARP endpoints replaced by ones that return at once, so that
/// forwarding itself is not measured. Compare with the proxy's whole CPU cost per request in the load test.
/// </summary>
[MemoryDiagnoser]
public class MiddlewareBenchmarks
{
    private ReloadHost? _host;
    private HigressMiddleware? _middleware;
    private DefaultHttpContext _context = new();

    [Params(10, 10_000)]
    public int Routes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _host = ReloadHost.StartAsync(BenchWorkload.Resources(Routes)).GetAwaiter().GetResult();
        var harness = MiddlewareHarness.Create(_host);
        _middleware = harness.Middleware;
        _context = MiddlewareHarness.Request("/svc" + BenchWorkload.Middle(Routes).ToString(CultureInfo.InvariantCulture) + "/items/42");
        harness.EnsureForwarded(_context);
    }

    [GlobalCleanup]
    public void Cleanup() => _host?.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark]
    public Task RouteRequest() => _middleware!.InvokeAsync(_context);
}
