using System.Globalization;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;
using Higress.Core.Routing;
using Higress.Core.Translation;

namespace Higress.Benchmarks;

/// <summary>
/// The catastrophic pattern <c>/(a+)+$</c> against a crafted path of 31 characters, and <c>(a+)+$</c> against a crafted
/// header, through <see cref="RouteTable.Match{TRequest}"/> on the linear-time engine; the baseline is the same path
/// on .NET's backtracking engine, which runs until its 100 ms match timeout.
/// </summary>
[MemoryDiagnoser]
public class RegexBenchmarks
{
    private const string Host = "dos.example.com";
    private static readonly string As = new('a', 30);

    private readonly Regex _backtracking = new(@"^(?:/(a+)+$)$", RegexOptions.CultureInvariant | RegexOptions.Compiled, RegexCache.MatchTimeout);
    private RouteTable _table = RouteTable.Empty;
    private BenchRequest _craftedPath;
    private BenchRequest _matchingPath;
    private BenchRequest _craftedHeader;

    [GlobalSetup]
    public void Setup()
    {
        var yaml = BenchWorkload.Yaml(10, 8080, 5080) + """
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: dos}
            spec:
              gateways: [bench-gateway]
              hosts: [dos.example.com]
              http:
              - name: path
                match: [{uri: {regex: "/(a+)+$"}}]
                route: [{destination: {host: svc-0, port: 80}}]
              - name: header
                match: [{uri: {prefix: /h}, headers: {x-probe: {regex: "(a+)+$"}}}]
                route: [{destination: {host: svc-0, port: 80}}]
              - name: rest
                route: [{destination: {host: svc-0, port: 80}}]

            """;
        var parsed = ResourceParser.Parse(yaml, new ResourceOrigin("bench", null, 0, 0));
        if (parsed.Diagnostics.Count > 0)
        {
            throw new InvalidOperationException(string.Join('\n', parsed.Diagnostics));
        }

        _table = RouteTable.Build(Translator.Translate(new ResourceSnapshot(parsed.Resources)).Plan);
        _craftedPath = new BenchRequest("/" + As + "!", Host);
        _matchingPath = new BenchRequest("/" + As, Host);
        _craftedHeader = new BenchRequest("/h", Host, "x-probe", As + "!");

        // A benchmark that measures the wrong route would be worse than none.
        Expect(_craftedPath, "rest");
        Expect(_matchingPath, "path");
        Expect(_craftedHeader, "rest");
    }

    /// <summary>What one crafted request cost before: the backtracking engine until its timeout.</summary>
    [Benchmark(Baseline = true)]
    public bool BacktrackingCraftedPath() => RegexCache.IsFullMatch(_backtracking, _craftedPath.Path);

    [Benchmark]
    public RouteMatchResult? CraftedPath() => _table.Match(_craftedPath);

    [Benchmark]
    public RouteMatchResult? MatchingPath() => _table.Match(_matchingPath);

    [Benchmark]
    public RouteMatchResult? CraftedHeader() => _table.Match(_craftedHeader);

    private void Expect(BenchRequest request, string ruleName)
    {
        var match = _table.Match(request);
        if (match?.Route.RuleName != ruleName)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{request.Path} matched {match?.ToString() ?? "nothing"}, expected rule {ruleName}"));
        }
    }
}
