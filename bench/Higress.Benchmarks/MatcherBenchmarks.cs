using System.Globalization;
using BenchmarkDotNet.Attributes;
using Higress.Core.Routing;
using Higress.Core.Translation;
using Higress.Hosting.Runtime;
using Microsoft.AspNetCore.Http;

namespace Higress.Benchmarks;

/// <summary>
/// <see cref="RouteTable.Match{TRequest}"/> on tables of 10, 1,000 and 10,000 routes (see <see cref="BenchWorkload"/>):
/// hits on the first, middle and last route, on a hostname-bound route, on a header-matched canary rule, a request
/// that skips the canary rule of its prefix, and a miss. None of them should allocate.
/// </summary>
[MemoryDiagnoser]
public class MatcherBenchmarks
{
    private RouteTable _table = RouteTable.Empty;
    private BenchRequest _first;
    private BenchRequest _middle;
    private BenchRequest _last;
    private BenchRequest _hostname;
    private BenchRequest _canary;
    private BenchRequest _canarySkipped;
    private BenchRequest _miss;
    private DefaultHttpContext _httpContext = new();

    [Params(10, 1_000, 10_000)]
    public int Routes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var plan = Translator.Translate(new Core.Resources.ResourceSnapshot(BenchWorkload.Resources(Routes))).Plan;
        _table = RouteTable.Build(plan);
        var middle = BenchWorkload.Middle(Routes);
        _first = new BenchRequest("/svc0/items/42");
        _middle = new BenchRequest(Path(middle));
        _last = new BenchRequest(Path(BenchWorkload.Last(Routes)));
        _hostname = new BenchRequest("/svc5/items/42", "h5.example.com");
        _canary = new BenchRequest("/svc3/items/42", BenchWorkload.PlainHost, BenchWorkload.CanaryHeader, "true");
        _canarySkipped = new BenchRequest("/svc3/items/42");
        _miss = new BenchRequest("/nothing/here/at/all");

        _httpContext = new DefaultHttpContext();
        _httpContext.Request.Method = "GET";
        _httpContext.Request.Host = new HostString(BenchWorkload.PlainHost + ":8080");
        _httpContext.Request.Path = Path(middle);
        _httpContext.Request.Headers.UserAgent = "wrk";

        // A benchmark that measures the wrong route would be worse than none.
        Expect(_first, "r0", "main");
        Expect(_middle, "r" + middle.ToString(CultureInfo.InvariantCulture), "main");
        Expect(_hostname, "r5", "main");
        Expect(_canary, "r3", "canary");
        Expect(_canarySkipped, "r3", "main");
        if (_table.Match(_miss) is not null || _table.Match(new HttpContextRouteRequest(_httpContext, 8080)) is null)
        {
            throw new InvalidOperationException("the miss matched, or the HttpContext request did not");
        }
    }

    [Benchmark(Baseline = true)]
    public RouteMatchResult? HitFirst() => _table.Match(_first);

    [Benchmark]
    public RouteMatchResult? HitMiddle() => _table.Match(_middle);

    [Benchmark]
    public RouteMatchResult? HitLast() => _table.Match(_last);

    [Benchmark]
    public RouteMatchResult? HitHostname() => _table.Match(_hostname);

    [Benchmark]
    public RouteMatchResult? HitCanaryHeader() => _table.Match(_canary);

    [Benchmark]
    public RouteMatchResult? HitPastCanary() => _table.Match(_canarySkipped);

    [Benchmark]
    public RouteMatchResult? Miss() => _table.Match(_miss);

    /// <summary>The middle hit through the runtime's view of a real <see cref="HttpContext"/>.</summary>
    [Benchmark]
    public RouteMatchResult? HitMiddleHttpContext() => _table.Match(new HttpContextRouteRequest(_httpContext, 8080));

    private static string Path(int route) => "/svc" + route.ToString(CultureInfo.InvariantCulture) + "/items/42";

    private void Expect(BenchRequest request, string routeName, string ruleName)
    {
        var match = _table.Match(request);
        if (match is null || match.Route.Source.Name != routeName || match.Route.RuleName != ruleName)
        {
            throw new InvalidOperationException($"{request.Path} on {request.Host} matched {match?.ToString() ?? "nothing"}, expected {routeName}/{ruleName}");
        }
    }
}
