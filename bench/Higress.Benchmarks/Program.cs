using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Higress.Benchmarks;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;
using Higress.Core.Resources.Sources;
using Higress.Core.Translation;

// Higress.Benchmarks [--quick] [--only matcher|translator|reload|middleware|regex|auth|ratelimit|metrics]   BenchmarkDotNet suites (--quick: one dry run each, for CI)
// Higress.Benchmarks gen-config --routes N --port P --backend-port B --out DIR [--key-auth]   writes the load test's configuration
// Higress.Benchmarks gen-resilience --port P --backend-port B --slow-port S --refused-port R --healthy-port H --out DIR   writes bench/resilience.sh's configuration
// Higress.Benchmarks edit-latency [--routes N] [--files F] [--edits K]   times a one-file edit in a large ConfigDir until traffic sees it
// Higress.Benchmarks reload [--routes N] [--iterations K] [--change one-route|all-clusters]   times parse / snapshot / translate / apply of a running host by step
return args.FirstOrDefault() switch
{
    "gen-config" => GenConfig(args),
    "gen-resilience" => GenResilience(args),
    "reload" => await ReloadAsync(args),
    "edit-latency" => await EditLatency.RunAsync(IntOption(args, "--routes", 10_000), IntOption(args, "--files", 100), IntOption(args, "--edits", 20)),
    _ => RunBenchmarks(args),
};

static int RunBenchmarks(string[] args)
{
    var quick = args.Contains("--quick");
    var only = Option(args, "--only");

    // In process: the generated project would sit under this repository's Directory.Build.props (warnings as errors).
    // A fixed number of iterations keeps a full run bounded (about 15 minutes) on a small, shared machine.
    var job = (quick ? Job.Dry : Job.Default.WithWarmupCount(3).WithIterationCount(12)).WithToolchain(InProcessEmitToolchain.Instance);
    var config = DefaultConfig.Instance.AddJob(job).AddDiagnoser(MemoryDiagnoser.Default)
        .WithOptions(ConfigOptions.DisableLogFile);
    var suites = new Dictionary<string, Type>
    {
        ["matcher"] = typeof(MatcherBenchmarks),
        ["translator"] = typeof(TranslatorBenchmarks),
        ["reload"] = typeof(ReloadBenchmarks),
        ["middleware"] = typeof(MiddlewareBenchmarks),
        ["regex"] = typeof(RegexBenchmarks),
        ["auth"] = typeof(AuthBenchmarks),
        ["ratelimit"] = typeof(RateLimitBenchmarks),
        ["metrics"] = typeof(MetricsBenchmarks),
    };
    var selected = suites.Where(s => only is null || s.Key == only).Select(s => s.Value).ToArray();
    if (selected.Length == 0)
    {
        Console.Error.WriteLine($"unknown suite '{only}'; one of: {string.Join(", ", suites.Keys)}");
        return 2;
    }

    var summaries = BenchmarkRunner.Run(selected, config);
    return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
}

static int GenConfig(string[] args)
{
    var routes = IntOption(args, "--routes", 10);
    var port = IntOption(args, "--port", 8080);
    var backendPort = IntOption(args, "--backend-port", 5080);
    var output = Option(args, "--out") ?? throw new ArgumentException("--out DIR is required");
    Directory.CreateDirectory(output);
    var yaml = BenchWorkload.Yaml(routes, port, backendPort);
    _ = BenchWorkload.Resources(routes, port, backendPort);
    File.WriteAllText(Path.Combine(output, "bench.yaml"), yaml);
    var keyAuth = BenchWorkload.SecondPlain(routes);
    if (args.Contains("--key-auth"))
    {
        File.WriteAllText(Path.Combine(output, "key-auth.yaml"), BenchWorkload.KeyAuthYaml(keyAuth));
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {routes} routes on port {port} to {output}; plain route paths: /svc{BenchWorkload.Middle(routes)}/items/42 (middle), /svc0/items/42 (first), /svc{keyAuth}/items/42 (key-auth)"));
    return 0;
}

static int GenResilience(string[] args)
{
    var ports = new ResilienceWorkload.Ports(
        IntOption(args, "--port", 8080), IntOption(args, "--backend-port", 5080), IntOption(args, "--slow-port", 5081),
        IntOption(args, "--refused-port", 5082), IntOption(args, "--healthy-port", 5083));
    var output = Option(args, "--out") ?? throw new ArgumentException("--out DIR is required");
    Directory.CreateDirectory(output);
    _ = ResilienceWorkload.Resources(ports);
    File.WriteAllText(Path.Combine(output, "resilience.yaml"), ResilienceWorkload.Yaml(ports));
    Console.WriteLine($"wrote the resilience configuration to {output}; paths: {string.Join(" ", ResilienceWorkload.Paths.Select(p => $"{p.Key}={p.Value}"))}");
    return 0;
}

static async Task<int> ReloadAsync(string[] args)
{
    var routes = IntOption(args, "--routes", 10_000);
    var iterations = IntOption(args, "--iterations", 7);
    var change = Option(args, "--change") ?? "one-route";
    var middle = BenchWorkload.Middle(routes);
    var yaml = change == "all-clusters"
        ? new[] { BenchWorkload.Yaml(routes, 8080, 5080), BenchWorkload.Yaml(routes, 8080, 5081) }
        : new[] { BenchWorkload.Yaml(routes, 8080, 5080), BenchWorkload.Yaml(routes, 8080, 5080).Replace($"{{prefix: /svc{middle}}}", $"{{prefix: /svc{middle}-v2}}", StringComparison.Ordinal) };

    await using var host = await ReloadHost.StartAsync([]);
    var samples = new List<(double Parse, double Snapshot, double Translate, double Apply)>();
    for (var i = 0; i <= iterations; i++)
    {
        var clock = Stopwatch.StartNew();
        var resources = ResourceParser.Parse(yaml[i % 2], new ResourceOrigin("bench", null, 0, 0)).Resources;
        var parse = Lap(clock);
        var snapshot = SnapshotBuilder.Build([("bench", new SourceContent([.. resources], []))]);
        var built = Lap(clock);
        var translation = Translator.Translate(snapshot, new TranslatorOptions { Generation = host.AppliedGeneration + 1 });
        var translate = Lap(clock);
        if (!host.Runtime.Apply(translation, snapshot))
        {
            Console.Error.WriteLine("apply failed: " + host.Runtime.LastApplyError);
            return 1;
        }

        var apply = Lap(clock);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(i == 0 ? "cold " : "reload")} {i}: parse {parse,7:F1} ms  snapshot {built,6:F1} ms  translate {translate,7:F1} ms  apply {apply,7:F1} ms  translate+apply {translate + apply,7:F1} ms"));
        if (i > 0)
        {
            samples.Add((parse, built, translate, apply));
        }
    }

    static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"median of {samples.Count} reloads of {routes} routes ({change}): parse {Median(samples.Select(s => s.Parse)):F1} ms, snapshot {Median(samples.Select(s => s.Snapshot)):F1} ms, " +
        $"translate {Median(samples.Select(s => s.Translate)):F1} ms, apply {Median(samples.Select(s => s.Apply)):F1} ms, translate+apply {Median(samples.Select(s => s.Translate + s.Apply)):F1} ms"));
    return 0;
}

static double Lap(Stopwatch clock)
{
    var ms = clock.Elapsed.TotalMilliseconds;
    clock.Restart();
    return ms;
}

static string? Option(string[] args, string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

static int IntOption(string[] args, string name, int fallback) =>
    Option(args, name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
