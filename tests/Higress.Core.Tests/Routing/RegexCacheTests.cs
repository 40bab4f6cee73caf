using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using Higress.Core.Diagnostics;
using Higress.Core.Explain;
using Higress.Core.Routing;
using Higress.Core.Tests.Explain;

namespace Higress.Core.Tests.Routing;

/// <summary>User regexes run on the linear-time engine, match whole values, and a timeout is no match.</summary>
public sealed class RegexCacheTests
{
    private static readonly string As = new('a', 32);

    private static GatewayExplainer Catastrophic() => GatewayExplainer.FromYaml(
        Yaml.Gateway() + Yaml.Service("path") + Yaml.Service("header") + Yaml.Service("query") + Yaml.Service("rest") + """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: evil}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [{path: {type: RegularExpression, value: "/(a+)+$"}}]
            backendRefs: [{name: path, port: 80}]
          - matches: [{path: {type: PathPrefix, value: /h}, headers: [{type: RegularExpression, name: x-probe, value: "(a+)+$"}]}]
            backendRefs: [{name: header, port: 80}]
          - matches: [{path: {type: PathPrefix, value: /q}, queryParams: [{type: RegularExpression, name: probe, value: "(a+)+$"}]}]
            backendRefs: [{name: query, port: 80}]
          - backendRefs: [{name: rest, port: 80}]
        """);

    private static string? Backend(GatewayExplainer explainer, ExplainRequest request) =>
        explainer.Explain(request).ChosenBackend?.ClusterId?.Split('/')[1].Split(':')[0];

    [Fact]
    public void The_catastrophic_pattern_answers_correctly_on_a_crafted_path_header_and_query()
    {
        var explainer = Catastrophic();

        Assert.Equal("path", Backend(explainer, ExplainRequest.Get($"http://x/{As}")));
        Assert.Equal("rest", Backend(explainer, ExplainRequest.Get($"http://x/{As}!")));
        Assert.Equal("header", Backend(explainer, ExplainRequest.Get("http://x/h").WithHeader("x-probe", As)));
        Assert.Equal("rest", Backend(explainer, ExplainRequest.Get("http://x/h").WithHeader("x-probe", As + "!")));
        Assert.Equal("query", Backend(explainer, ExplainRequest.Get($"http://x/q?probe={As}")));
        Assert.Equal("rest", Backend(explainer, ExplainRequest.Get($"http://x/q?probe={As}!")));
    }

    [Fact]
    public void User_patterns_compile_on_the_non_backtracking_engine_once()
    {
        var regex = RegexCache.Get("/(a+)+$", ignoreCase: false);

        Assert.True(regex.Options.HasFlag(RegexOptions.NonBacktracking));
        Assert.Same(regex, RegexCache.Get("/(a+)+$", ignoreCase: false));
        Assert.NotSame(regex, RegexCache.Get("/(a+)+$", ignoreCase: true));
    }

    [Theory]
    [InlineData("/a.c", "/abc", true)]
    [InlineData("/a.c", "/abcd", false)]
    [InlineData("/a.c", "/x/abc", false)]
    [InlineData("/a.c", "/abc\n", false)]
    [InlineData("a|ab", "ab", true)]
    [InlineData("(?i)/ABC", "/abc", true)]
    public void Patterns_match_the_whole_value(string pattern, string value, bool matches)
    {
        Assert.Equal(matches, RegexCache.IsFullMatch(RegexCache.Get(pattern, ignoreCase: false), value));
    }

    [Fact]
    public void Ignore_case_applies_to_the_pattern()
    {
        Assert.True(RegexCache.IsFullMatch(RegexCache.Get("/orders/[a-z]+", ignoreCase: true), "/Orders/ABC"));
        Assert.False(RegexCache.IsFullMatch(RegexCache.Get("/orders/[a-z]+", ignoreCase: false), "/Orders/ABC"));
    }

    [Fact]
    public void A_match_that_times_out_is_no_match_and_is_counted()
    {
        // An automaton that explodes (a 'b' 31 characters after some 'a') on 8 KB: far more than one tick of work.
        var regex = new Regex(@"\A(?:.*a.{30}b)\z", RegexOptions.NonBacktracking, TimeSpan.FromTicks(1));
        var random = new Random(7);
        var input = string.Create(8192, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = r.Next(2) == 0 ? 'a' : 'b';
            }
        });
        using var meter = new HigressMeter();
        long reported = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == meter.Meter && instrument.Name == RegexCache.TimeoutsCounterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Exchange(ref reported, value));
        listener.Start();
        var before = RegexCache.TimeoutCount();

        Assert.False(RegexCache.IsFullMatch(regex, input));
        listener.RecordObservableInstruments();

        Assert.True(RegexCache.TimeoutCount() > before);
        Assert.True(Interlocked.Read(ref reported) > before);
    }

    [Fact]
    public void A_grpc_method_regex_keeps_service_and_method_apart()
    {
        var explainer = GatewayExplainer.FromYaml(Yaml.Gateway() + Yaml.Service("greeter") + Yaml.Service("rest") + """
            apiVersion: gateway.networking.k8s.io/v1
            kind: GRPCRoute
            metadata: {name: g}
            spec:
              parentRefs: [{name: gw}]
              rules:
              - matches: [{method: {type: RegularExpression, service: "foo\\.A|foo\\.B", method: "Get.*"}}]
                backendRefs: [{name: greeter, port: 80}]
              - backendRefs: [{name: rest, port: 80}]
            """);

        Assert.Equal("greeter", Backend(explainer, new ExplainRequest("POST", "http://x/foo.B/GetUser")));
        Assert.Equal("greeter", Backend(explainer, new ExplainRequest("POST", "http://x/foo.A/GetUser")));
        Assert.Equal("rest", Backend(explainer, new ExplainRequest("POST", "http://x/foo.A/Delete")));
    }
}
