using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using Higress.Hosting.Runtime;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

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
        var runtime = _host.Runtime;
        var state = runtime.Current;
        var stub = new Endpoint(_ => Task.CompletedTask, EndpointMetadataCollection.Empty, "stub");
        var endpoints = state.ClusterEndpoints.ToDictionary(e => e.Key, _ => stub, StringComparer.Ordinal);

        // The runtime only takes plans; swapping its state is the one way to keep YARP out of the measurement.
        typeof(HigressRuntime).GetField("_current", BindingFlags.Instance | BindingFlags.NonPublic)!
            .SetValue(runtime, new RuntimeState(state.Translation, state.Table, endpoints, state.Routes));
        RequestDelegate next = _ => throw new InvalidOperationException("not a gateway port");
        _middleware = ActivatorUtilities.CreateInstance<HigressMiddleware>(_host.Services, next);

        _context = new DefaultHttpContext();
        _context.Connection.LocalPort = 8080;
        _context.Request.Method = "GET";
        _context.Request.Host = new HostString("127.0.0.1:8080");
        _context.Request.Path = "/svc" + BenchWorkload.Middle(Routes).ToString(CultureInfo.InvariantCulture) + "/items/42";
        var task = _middleware.InvokeAsync(_context);
        if (!task.IsCompletedSuccessfully || _context.GetEndpoint() != stub)
        {
            throw new InvalidOperationException("the request was not routed to the cluster endpoint");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _host?.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark]
    public Task RouteRequest() => _middleware!.InvokeAsync(_context);
}
