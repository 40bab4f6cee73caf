using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Higress.Core.Plugins;
using Higress.Hosting.Admin;
using Higress.Hosting.Runtime;
using Higress.Hosting.Sources;
using Higress.Hosting.Tests.Resilience;
using Higress.Hosting.Tests.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Higress.Hosting.Tests.Telemetry;

/// <summary>
/// The admin <c>/metrics</c> of a real gateway after real traffic: it passes <c>promtool check metrics</c>, serves every
/// metric and label the Grafana dashboard and the alert rules in deploy/ use, keeps the number of series bounded under
/// distinct paths and consumers, and shows only its own host's requests.
/// </summary>
public sealed partial class GatewayMetricsTests
{
    private static readonly string Deploy = Path.Combine(RepositoryRoot.Path, "deploy");

    [Fact]
    public async Task The_live_metrics_pass_promtool_and_serve_every_metric_and_label_the_dashboard_and_the_alert_rules_use()
    {
        var backends = await StatusBackend.StartManyAsync([200, 500]);
        try
        {
            await using var gateway = await StartIncidentsAsync(backends);
            var metrics = await ScrapeAsync(gateway);

            // CI installs promtool (.ci/run), so there it must run; elsewhere the check is skipped without it.
            var promtool = Promtool();
            Assert.True(promtool is not null || Environment.GetEnvironmentVariable("CI") != "true", "promtool is not on the PATH, and CI installs it (.ci/run)");
            if (promtool is not null)
            {
                var (code, output) = await RunAsync(promtool, "check metrics", metrics);
                Assert.True(code == 0, output + "\n" + metrics);
                (code, output) = await RunAsync(promtool, $"check rules {Path.Combine(Deploy, "prometheus", "higress-rules.yml")}", string.Empty);
                Assert.True(code == 0, output);
            }

            var samples = metrics.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => (Name: SampleName().Match(l).Value, Line: l)).ToList();
            var missing = new List<string>();
            foreach (var expression in DeployExpressions())
            {
                var labels = LabelMatcher().Matches(expression).Select(m => m.Groups[1].Value)
                    .Concat(ByClause().Matches(expression).SelectMany(m => m.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
                    .Where(l => l is not ("instance" or "job")).Distinct().ToList();
                foreach (var metric in MetricName().Matches(expression).Select(m => m.Value).Distinct())
                {
                    var lines = samples.Where(s => s.Name == metric).Select(s => s.Line).ToList();
                    missing.AddRange(lines.Count == 0
                        ? [$"{metric} (in: {expression})"]
                        : labels.Where(l => !lines.Any(line => line.Contains(l + "=\"", StringComparison.Ordinal))).Select(l => $"{metric} label {l} (in: {expression})"));
                }
            }

            Assert.True(missing.Count == 0, string.Join("\n", missing) + "\n---\n" + metrics);
        }
        finally
        {
            foreach (var backend in backends)
            {
                await backend.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Request_metrics_name_route_cluster_status_and_consumer_and_durations_are_histograms_in_seconds()
    {
        await using var backend = await RecordingBackend.StartAsync();
        await using var gateway = await LoopbackGateway.StartAsync(r => r.AddService("up", backend.Port, ["127.0.0.1"]).AddYaml(LoopbackGateway.Route(LoopbackGateway.ForwardTo("up", backend.Port))));
        for (var i = 0; i < 3; i++)
        {
            (await gateway.Client.GetAsync(new Uri($"/p/{i}", UriKind.Relative))).Dispose();
        }

        var metrics = await ScrapeAsync(gateway);
        var plan = gateway.Services.GetRequiredService<HigressRuntime>().Current.Plan;
        var labels = $"route=\"{plan.Routes[0].Id}\",cluster=\"{plan.Clusters[0].Id}\",status_code=\"200\"";
        Assert.Contains("# TYPE higress_gateway_requests_total counter\n", metrics, StringComparison.Ordinal);
        Assert.Contains($"higress_gateway_requests_total{{{labels},consumer=\"\"}} 3\n", metrics, StringComparison.Ordinal);
        Assert.Contains("# TYPE higress_gateway_request_duration_seconds histogram\n", metrics, StringComparison.Ordinal);
        Assert.Contains($"higress_gateway_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} 3\n", metrics, StringComparison.Ordinal);
        Assert.Contains($"higress_gateway_request_duration_seconds_count{{{labels}}} 3\n", metrics, StringComparison.Ordinal);
        Assert.Contains("higress_upstream_request_duration_seconds_count{cluster=", metrics, StringComparison.Ordinal);
        Assert.Contains("higress_gateway_active_requests 0\n", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("/p/", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_hosts_in_one_process_each_serve_only_their_own_requests()
    {
        await using var backend = await RecordingBackend.StartAsync();
        await using var busy = await LoopbackGateway.StartAsync(r => r.AddService("up", backend.Port, ["127.0.0.1"]).AddYaml(LoopbackGateway.Route(LoopbackGateway.ForwardTo("up", backend.Port))));
        await using var idle = await LoopbackGateway.StartAsync(r => r.AddService("up", backend.Port, ["127.0.0.1"]).AddYaml(LoopbackGateway.Route(LoopbackGateway.ForwardTo("up", backend.Port))));

        (await busy.Client.GetAsync(new Uri("/", UriKind.Relative))).Dispose();

        Assert.Contains("higress_gateway_requests_total{", await ScrapeAsync(busy), StringComparison.Ordinal);
        Assert.DoesNotContain("higress_gateway_requests_total{", await ScrapeAsync(idle), StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_hundred_thousand_distinct_paths_and_ten_thousand_consumers_leave_the_series_bounded()
    {
        await using var backend = await RecordingBackend.StartAsync(c => Task.CompletedTask);
        await using var gateway = await LoopbackGateway.StartAsync(
            r => r.AddService("up", backend.Port, ["127.0.0.1"]).AddYaml(LoopbackGateway.Route(LoopbackGateway.ForwardTo("up", backend.Port) + "\nplugins: [{name: consumer-from-header, config: {}}]")),
            new Dictionary<string, string?> { ["Higress:Telemetry:MaxConsumerLabels"] = "50" },
            h => h.AddPlugin<ConsumerFromHeaderPlugin>());

        // 100,000 requests on 16 connections, bounded in time as well as in count.
        var deadline = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < 100_000 && deadline.Elapsed < TimeSpan.FromMinutes(3))
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/" + Guid.NewGuid().ToString("N"), UriKind.Relative));
                request.Headers.Add(ConsumerFromHeaderPlugin.Header, "consumer-" + (i % 10_000).ToString(CultureInfo.InvariantCulture));
                using var response = await gateway.Client.SendAsync(request);
                response.EnsureSuccessStatusCode();
            }
        }));
        Assert.True(next >= 100_000, $"only {next} requests in 3 minutes");

        var metrics = gateway.Services.GetRequiredService<PrometheusText>().Render();
        var series = metrics.Split('\n').Count(l => l.StartsWith("higress_gateway_requests_total{", StringComparison.Ordinal));
        Assert.Equal(51, series);
        Assert.Contains("consumer=\"other\"", metrics, StringComparison.Ordinal);
        Assert.Single(metrics.Split('\n'), l => l.StartsWith("higress_gateway_request_duration_seconds_count{", StringComparison.Ordinal));
        Assert.InRange(metrics.Split('\n').Length, 1, 2_000);
    }

    /// <summary>
    /// A gateway that has had each incident the dashboard and the alerts watch: 2xx and 5xx answers, retries, an outlier
    /// ejection, a rate-limit rejection, an authentication denial and a plugin failure.
    /// </summary>
    private static Task<LoopbackGateway> StartIncidentsAsync(StatusBackend[] backends) => StartAndSendAsync(
        LoopbackGateway.Pool(backends.Select(b => b.Port), "loadBalancer: {simple: ROUND_ROBIN}, outlierDetection: {consecutive5xxErrors: 1, baseEjectionTime: 60s}").Replace(
            "metadata: {name: r}\nspec:\n  http:\n  - ", "metadata: {name: r}\nspec:\n  http:\n  - retries: {attempts: 1, retryOn: 5xx}\n    ", StringComparison.Ordinal) + $$$"""
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: guarded}
            spec:
              http:
              - name: limited
                match: [{uri: {prefix: /limited}}]
                rateLimit: {requestsPerUnit: 1, unit: minute, burst: 0, key: none}
                route: [{destination: {host: pool.internal, port: 80}}]
              - name: keyed
                match: [{uri: {prefix: /keyed}}]
                plugins: [{name: key-auth, config: {consumers: [{name: alice, credential: k1}], keys: [x-api-key]}}]
                route: [{destination: {host: pool.internal, port: 80}}]
              - name: broken
                match: [{uri: {prefix: /broken}}]
                plugins: [{name: consumer-from-header, config: {throw: true}}]
                route: [{destination: {host: pool.internal, port: 80}}]
            """,
        ["/", "/", "/", "/", "/limited", "/limited", "/keyed", "/broken"]);

    private static async Task<LoopbackGateway> StartAndSendAsync(string yaml, string[] paths)
    {
        var gateway = await LoopbackGateway.StartAsync(r => r.AddYaml(yaml), higress: h => h.AddPlugin<ConsumerFromHeaderPlugin>());
        foreach (var path in paths)
        {
            (await gateway.Client.GetAsync(new Uri(path, UriKind.Relative))).Dispose();
        }

        return gateway;
    }

    private static async Task<string> ScrapeAsync(LoopbackGateway gateway)
    {
        var port = gateway.Services.GetRequiredService<IOptions<HigressOptions>>().Value.Admin.Port;
        using var client = new HttpClient();

        // A request is counted when the gateway's pipeline returns, which can be a moment after its client has read the
        // whole response; the active gauge drops last, so at zero every request sent so far is in.
        return await Eventually.ReadAsync(
            () => client.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics")),
            text => !text.Contains("higress_gateway_active_requests ", StringComparison.Ordinal)
                || text.Contains("higress_gateway_active_requests 0\n", StringComparison.Ordinal));
    }

    private static IEnumerable<string> DeployExpressions()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(Deploy, "grafana", "higress.json")));
        foreach (var panel in dashboard.RootElement.GetProperty("panels").EnumerateArray())
        {
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                yield return target.GetProperty("expr").GetString()!;
            }
        }

        // The rules file is YAML whose expressions are plain or block scalars under `expr:`.
        var lines = File.ReadAllLines(Path.Combine(Deploy, "prometheus", "higress-rules.yml"));
        for (var i = 0; i < lines.Length; i++)
        {
            var at = lines[i].IndexOf("expr:", StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            var expression = lines[i][(at + 5)..].Trim();
            if (expression == "|")
            {
                var indent = lines[i].Length - lines[i].TrimStart().Length;
                expression = string.Join(' ', lines.Skip(i + 1).TakeWhile(l => l.Length - l.TrimStart().Length > indent).Select(l => l.Trim()));
            }

            yield return expression;
        }
    }

    private static string? Promtool() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Select(d => Path.Combine(d, "promtool")).FirstOrDefault(File.Exists);

    private static async Task<(int Code, string Output)> RunAsync(string file, string arguments, string input)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true })!;
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    [GeneratedRegex(@"^[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex SampleName();

    [GeneratedRegex(@"higress_[a-z_]+")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"[{,]\s*([a-z_]+)\s*(?:=~|!=|!~|=)")]
    private static partial Regex LabelMatcher();

    [GeneratedRegex(@"\bby\s*\(([^)]*)\)")]
    private static partial Regex ByClause();

    internal sealed record ConsumerConfig(bool Throw);

    /// <summary>Names the consumer from a request header (as an authentication plugin would), or throws when configured to.</summary>
    internal sealed class ConsumerFromHeaderPlugin : HigressPlugin<ConsumerConfig>
    {
        public const string Header = "x-test-consumer";

        public override string Name => "consumer-from-header";

        public override ConsumerConfig ParseConfig(JsonElement config, PluginConfigContext context) =>
            context.Deserialize<ConsumerConfig>(config) ?? new ConsumerConfig(false);

        public override ValueTask<PluginResult> OnRequestAsync(PluginContext context, ConsumerConfig config)
        {
            if (config.Throw)
            {
                throw new InvalidOperationException("this plugin fails on purpose");
            }

            context.Consumer = context.HttpContext.Request.Headers[Header].ToString();
            return new ValueTask<PluginResult>(PluginResult.Continue);
        }
    }
}
