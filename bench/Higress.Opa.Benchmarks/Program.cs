using System.Diagnostics;
using BenchmarkDotNet.Running;
using Higress.Opa;
using Higress.Opa.Benchmarks;

if (args.Length > 0 && args[0] == "--soak")
{
    // A million evaluations of the prepared RBAC query: allocation per evaluation and live heap must not grow.
    int n = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
    var query = RbacPolicy.Compile().PrepareQuery("data.envoy.authz.allow");
    var input = RbacPolicy.Input("GET", "/api/books/42", RbacPolicy.Jwt("alice", "reader", "ops"));
    for (int i = 0; i < 10_000; i++) query.Evaluate(input);
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    long heapStart = GC.GetTotalMemory(true);
    int window = Math.Max(1, n / 10);
    var times = new List<double>();
    long allocStart = GC.GetAllocatedBytesForCurrentThread();
    var sw = Stopwatch.StartNew();
    long firstWindowAlloc = 0, lastWindowAlloc = 0;
    for (int w = 0; w < 10; w++)
    {
        long a0 = GC.GetAllocatedBytesForCurrentThread();
        long t0 = Stopwatch.GetTimestamp();
        for (int i = 0; i < window; i++)
        {
            if (!query.Evaluate(input).IsTrue) throw new InvalidOperationException("unexpected decision");
        }
        times.Add(Stopwatch.GetElapsedTime(t0).TotalMicroseconds / window);
        long a = GC.GetAllocatedBytesForCurrentThread() - a0;
        if (w == 0) firstWindowAlloc = a;
        if (w == 9) lastWindowAlloc = a;
    }
    sw.Stop();
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    long heapEnd = GC.GetTotalMemory(true);
    Console.WriteLine($"soak: {10 * window} evaluations in {sw.Elapsed.TotalSeconds:F2} s");
    Console.WriteLine($"soak: mean per window (us): {string.Join(", ", times.Select(t => t.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))}");
    Console.WriteLine($"soak: allocated per evaluation: first window {firstWindowAlloc / (double)window:F0} B, last window {lastWindowAlloc / (double)window:F0} B, total {(GC.GetAllocatedBytesForCurrentThread() - allocStart) / 1e6:F0} MB");
    Console.WriteLine($"soak: live heap after full GC: start {heapStart / 1024} KiB, end {heapEnd / 1024} KiB");
    return;
}

if (args.Length > 0 && args[0] == "--compile")
{
    foreach (int n in new[] { 250, 500, 1000, 2000 })
    {
        var src = RbacPolicy.Large(n);
        new PolicyCompiler().AddModule("large.rego", src).Compile();
        var times = new List<double>();
        for (int i = 0; i < 5; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            new PolicyCompiler().AddModule("large.rego", src).Compile();
            times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }
        times.Sort();
        long p0 = Stopwatch.GetTimestamp();
        PolicyCompiler.Parse("large.rego", src);
        Console.WriteLine($"compile {n} rules: median {times[2]:F1} ms (parse alone {Stopwatch.GetElapsedTime(p0).TotalMilliseconds:F1} ms)");
    }
    return;
}

if (args.Length > 0 && args[0] == "--types")
{
    var asm = typeof(PolicyCompiler).Assembly;
    foreach (var t in asm.GetTypes().Where(t => t.Name.Contains("DisplayClass", StringComparison.Ordinal)))
    {
        Console.WriteLine($"{t.DeclaringType?.Name}.{t.Name}: {string.Join(", ", t.GetFields().Select(f => f.Name))}");
    }
    return;
}

if (args.Length > 1 && args[0] == "--alloc")
{
    var pq = RbacPolicy.Compile().PrepareQuery(args[1]);
    var input = RbacPolicy.Input("GET", "/api/books/42", RbacPolicy.Jwt("alice", "reader", "ops"));
    using var probe = new AllocProbe();
    for (int i = 0; i < 300_000; i++) pq.Evaluate(input);
    foreach (var (t, c) in probe.Counts.OrderByDescending(kv => kv.Value).Take(25)) Console.WriteLine($"{c,6} {t}");
    return;
}

if (args.Length > 0 && args[0] == "--quick")
{
    var query = RbacPolicy.Compile().PrepareQuery("data.envoy.authz.allow");
    var input = RbacPolicy.Input("GET", "/api/books/42", RbacPolicy.Jwt("alice", "reader", "ops"));
    for (int i = 0; i < 20_000; i++) query.Evaluate(input);
    var samples = new double[200];
    for (int s = 0; s < samples.Length; s++)
    {
        long t0 = Stopwatch.GetTimestamp();
        for (int i = 0; i < 1000; i++) query.Evaluate(input);
        samples[s] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds / 1000;
    }
    Array.Sort(samples);
    Console.WriteLine($"quick: RBAC allow median {samples[samples.Length / 2]:F2} us, p90 {samples[samples.Length * 9 / 10]:F2} us");
    if (args.Length > 1)
    {
        var policy = RbacPolicy.Compile();
        foreach (var q in args.Skip(1))
        {
            var pq = policy.PrepareQuery(q);
            for (int i = 0; i < 20_000; i++) pq.Evaluate(input);
            long t0 = Stopwatch.GetTimestamp();
            long a0 = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100_000; i++) pq.Evaluate(input);
            Console.WriteLine($"quick: {q}: {Stopwatch.GetElapsedTime(t0).TotalMicroseconds / 100_000:F2} us, {(GC.GetAllocatedBytesForCurrentThread() - a0) / 100_000} B");
        }
        return;
    }
    var large = RbacPolicy.Large(1000);
    var compileTimes = new List<double>();
    for (int i = 0; i < 10; i++)
    {
        long t0 = Stopwatch.GetTimestamp();
        new PolicyCompiler().AddModule("large.rego", large).Compile();
        compileTimes.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
    }
    compileTimes.Sort();
    Console.WriteLine($"quick: compile 1000 rules median {compileTimes[5]:F1} ms");
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(RbacDecisionBenchmark).Assembly).Run(args);
