using System.Diagnostics;
using Higress.Opa.Values;

namespace Higress.Opa.Tests.Engine;

public sealed class LimitTests
{
    private const string InfiniteFunction = """
        package loop

        f(x) := y if {
            y := f(x + 1)
        }

        p := f(0)
        """;

    [Fact]
    public void InfiniteFunctionRecursion_IsRejectedAtCompileTime()
    {
        var e = Assert.Throws<RegoException>(() => new PolicyCompiler().AddModule("loop.rego", InfiniteFunction).Compile());
        Assert.Equal(RegoErrorCodes.RecursionError, e.Code);
        Assert.Contains("data.loop.f", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InfiniteFunctionRecursion_IsStoppedByTheDepthLimit_WhenItReachesEvaluation()
    {
        // The recursion check is OPA's first line of defence; the depth limit is the second one.
        var policy = new PolicyCompiler().AddModule("loop.rego", InfiniteFunction).WithoutRecursionCheck().Compile();
        var query = policy.PrepareQuery("data.loop.p");
        var sw = Stopwatch.StartNew();
        var e = Assert.Throws<RegoException>(() => RunOnThread(() => query.Evaluate((object?)null, new EvaluationOptions { MaxDepth = 200 })));
        Assert.Equal(RegoErrorCodes.EvalDepthError, e.Code);
        Assert.Contains("depth", e.Message, StringComparison.Ordinal);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void DeepRecursion_WithDefaultDepth_FailsCleanly_WithoutStackOverflow()
    {
        var policy = new PolicyCompiler().AddModule("loop.rego", InfiniteFunction).WithoutRecursionCheck().Compile();
        var e = Assert.Throws<RegoException>(() => RunOnThread(() => policy.PrepareQuery("data.loop.p").Evaluate((object?)null)));
        Assert.Equal(RegoErrorCodes.EvalDepthError, e.Code);
    }

    [Fact]
    public void MillionElementComprehension_IsStoppedByTheTimeBudget()
    {
        var range = RegoArray.Create(Enumerable.Range(0, 1000).Select(i => (RegoValue)RegoNumber.FromInt64(i)));
        var policy = new PolicyCompiler()
            .AddModule("big.rego", "package big\n\np := {i * 1000 + j | some i in data.r; some j in data.r}\n")
            .AddData(["r"], range)
            .Compile();
        var query = policy.PrepareQuery("data.big.p");
        var sw = Stopwatch.StartNew();
        var e = Assert.Throws<RegoException>(() => query.Evaluate((object?)null, new EvaluationOptions { Timeout = TimeSpan.FromMilliseconds(100) }));
        sw.Stop();
        Assert.Equal(RegoErrorCodes.EvalCancelError, e.Code);
        Assert.Contains("time budget", e.Message, StringComparison.Ordinal);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(3), $"took {sw.Elapsed}");
    }

    [Fact]
    public void Cancellation_StopsEvaluation()
    {
        var range = RegoArray.Create(Enumerable.Range(0, 1000).Select(i => (RegoValue)RegoNumber.FromInt64(i)));
        var policy = new PolicyCompiler()
            .AddModule("big.rego", "package big\n\np := [i | some i in data.r; some j in data.r; some k in data.r]\n")
            .AddData(["r"], range)
            .Compile();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        var e = Assert.Throws<RegoException>(() => policy.PrepareQuery("data.big.p").Evaluate((object?)null, new EvaluationOptions { Timeout = null, CancellationToken = cts.Token }));
        Assert.Equal(RegoErrorCodes.EvalCancelError, e.Code);
    }

    [Fact]
    public async Task CatastrophicRegex_IsStopped_AndTheCallerStaysResponsive()
    {
        var policy = new PolicyCompiler()
            .AddModule("re.rego", "package re\n\np := regex.match(`^(a+)+$`, input.s)\n")
            .Compile();
        var query = policy.PrepareQuery("data.re.p");
        var input = new Dictionary<string, object?> { ["s"] = new string('a', 40) + "!" };
        var sw = Stopwatch.StartNew();
        var task = Task.Run(() => query.Evaluate(input, new EvaluationOptions { Timeout = TimeSpan.FromMilliseconds(200), StrictBuiltinErrors = true }));
        var finished = await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.Same(task, finished);
        try
        {
            var result = await task;
            // a non-backtracking regex engine answers quickly: that is fine too, as long as it is a real answer
            Assert.Equal(RegoValue.False, result.Value);
        }
        catch (RegoException e)
        {
            Assert.Equal(RegoErrorCodes.EvalCancelError, e.Code);
        }
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"took {sw.Elapsed}");
    }

    [Fact]
    public void LimitErrors_AreErrors_NotDecisions()
    {
        var policy = new PolicyCompiler()
            .AddModule("d.rego", "package d\n\ndefault allow := false\n\nallow if {\n\t{i | some i in data.r; some j in data.r} != set()\n}\n")
            .AddData(["r"], RegoArray.Create(Enumerable.Range(0, 3000).Select(i => (RegoValue)RegoNumber.FromInt64(i))))
            .Compile();
        Assert.Throws<RegoException>(() => policy.PrepareQuery("data.d.allow").Evaluate((object?)null, new EvaluationOptions { Timeout = TimeSpan.FromMilliseconds(20) }));
    }

    private static T RunOnThread<T>(Func<T> f)
    {
        T? result = default;
        Exception? error = null;
        var t = new Thread(() =>
        {
            try
            {
                result = f();
            }
            catch (Exception e)
            {
                error = e;
            }
        }, 1024 * 1024);
        t.Start();
        t.Join();
        if (error is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        }
        return result!;
    }
}
