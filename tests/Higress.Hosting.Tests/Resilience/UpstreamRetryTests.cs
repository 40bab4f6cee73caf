using System.Globalization;
using System.Net;
using Higress.Hosting.Tests.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Higress.Hosting.Tests.Resilience;

/// <summary>Route <c>retries</c> against real backends on 127.0.0.1 that fail on purpose.</summary>
public sealed class UpstreamRetryTests
{
    private static Task<LoopbackGateway> GatewayAsync(FlakyBackend backend, string retries, IDictionary<string, string?>? settings = null) =>
        LoopbackGateway.StartAsync(
            r => r.AddService("up", backend.Port, ["127.0.0.1"]).AddYaml(LoopbackGateway.Route(LoopbackGateway.ForwardTo("up", backend.Port) + "\nretries: " + retries)),
            settings);

    private static async Task<long> MetricAsync(LoopbackGateway gateway, string name)
    {
        var admin = gateway.Services.GetRequiredService<IOptions<HigressOptions>>().Value.Admin.Port;
        using var client = new HttpClient();
        var text = await client.GetStringAsync(new Uri($"http://127.0.0.1:{admin}/metrics"));
        return text.Split('\n')
            .Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
            .Sum(l => long.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_backend_failing_30_percent_at_random_answers_at_least_990_of_1000_GETs_with_3_attempts_on_5xx()
    {
        await using var backend = await FlakyBackend.StartAsync();
        await using var gateway = await GatewayAsync(backend, "{attempts: 3, retryOn: 5xx}", new Dictionary<string, string?> { ["Higress:Retries:MinConcurrency"] = "100" });

        var ok = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, 1000), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/flaky/30");
            request.Headers.Add("x-key", i.ToString(CultureInfo.InvariantCulture));
            using var response = await gateway.Client.SendAsync(request, ct);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Interlocked.Increment(ref ok);
            }
        });

        // Without retries about 700 would succeed; the backend decides each try by a hash, so the count is exact.
        var expected = Enumerable.Range(0, 1000).Count(i => Enumerable.Range(0, 4).Any(a => !FlakyBackend.Fails(i.ToString(CultureInfo.InvariantCulture), a, 30)));
        Assert.Equal(expected, ok);
        Assert.True(ok >= 990, $"{ok} of 1000 succeeded");
        Assert.True(await MetricAsync(gateway, "higress_upstream_retries_total") >= 300);
    }

    [Theory]
    [InlineData(null, null, 3)]
    [InlineData("0", "0", 1)]
    public async Task The_retry_budget_stops_retries_once_it_is_spent(string? budgetPercent, string? minConcurrency, int triesPerRequest)
    {
        await using var backend = await FlakyBackend.StartAsync();
        var settings = new Dictionary<string, string?>();
        if (budgetPercent is not null && minConcurrency is not null)
        {
            settings["Higress:Retries:BudgetPercent"] = budgetPercent;
            settings["Higress:Retries:MinConcurrency"] = minConcurrency;
        }

        await using var gateway = await GatewayAsync(backend, "{attempts: 2, retryOn: 5xx}", settings);

        for (var i = 0; i < 10; i++)
        {
            using var response = await gateway.Client.GetAsync(new Uri("/status/503", UriKind.Relative));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }

        Assert.Equal(10 * triesPerRequest, backend.Requests);
        Assert.Equal(triesPerRequest == 1 ? 10 : 0, await MetricAsync(gateway, "higress_upstream_retry_budget_exhausted_total"));
    }

    [Theory]
    [InlineData("GET", "5xx", 3)]
    [InlineData("POST", "5xx", 1)]
    [InlineData("PATCH", "5xx", 1)]
    [InlineData("POST", "5xx,non-idempotent", 3)]
    public async Task Non_idempotent_methods_are_retried_only_when_retryOn_names_them(string method, string retryOn, int tries)
    {
        await using var backend = await FlakyBackend.StartAsync();
        await using var gateway = await GatewayAsync(backend, $"{{attempts: 2, retryOn: '{retryOn}'}}");

        using var request = new HttpRequestMessage(new HttpMethod(method), "/status/502") { Content = method == "GET" ? null : new StringContent("order") };
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(tries, backend.Requests);
    }

    [Theory]
    [InlineData(100, 3)]
    [InlineData(2000, 1)]
    public async Task A_body_over_the_buffer_limit_is_not_retried(int bodyBytes, int tries)
    {
        await using var backend = await FlakyBackend.StartAsync();
        await using var gateway = await GatewayAsync(backend, "{attempts: 2, retryOn: '5xx,non-idempotent'}", new Dictionary<string, string?> { ["Higress:Retries:MaxBufferedBody"] = "1024" });

        using var response = await gateway.Client.PostAsync(new Uri("/status/503", UriKind.Relative), new ByteArrayContent(new byte[bodyBytes]));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(tries, backend.Requests);
    }

    [Fact]
    public async Task A_connect_failure_on_a_closed_port_is_retried_on_the_live_destination()
    {
        await using var backend = await FlakyBackend.StartAsync();
        var closed = LoopbackGateway.FreePort();
        await using var gateway = await LoopbackGateway.StartAsync(r => r.AddYaml($$$"""
            apiVersion: networking.higress.io/v1alpha1
            kind: ServiceEntry
            metadata: {name: pool}
            spec:
              hosts: [pool.internal]
              ports: [{number: 80, name: http}]
              endpoints: [{address: 127.0.0.1, ports: {http: {{{closed}}}}}, {address: 127.0.0.1, ports: {http: {{{backend.Port}}}}}]
              trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}
            ---
            {{{LoopbackGateway.Route(LoopbackGateway.ForwardTo("pool.internal", 80) + "\nretries: {attempts: 1, retryOn: connect-failure}")}}}
            """));

        for (var i = 0; i < 20; i++)
        {
            using var response = await gateway.Client.GetAsync(new Uri("/", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(20, backend.Requests);
    }

    [Fact]
    public async Task A_slow_first_try_is_cut_by_perTryTimeout_and_a_fast_second_try_answers()
    {
        await using var backend = await FlakyBackend.StartAsync();
        await using var gateway = await GatewayAsync(backend, "{attempts: 1, perTryTimeout: 500ms, retryOn: reset}");

        using var response = await gateway.Client.GetAsync(new Uri("/slow-first/20000", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, backend.Requests);
        Assert.True(await backend.SlowAborted.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_last_try_that_times_out_is_answered_504()
    {
        await using var backend = await FlakyBackend.StartAsync();
        await using var gateway = await GatewayAsync(backend, "{attempts: 1, perTryTimeout: 300ms, retryOn: 5xx}");

        using var response = await gateway.Client.GetAsync(new Uri("/slow/20000", UriKind.Relative));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal(2, backend.Requests);
    }

    [Fact]
    public async Task A_backend_that_resets_after_response_bytes_reached_the_client_is_tried_once()
    {
        await using var backend = await FlakyBackend.StartAsync();
        await using var gateway = await GatewayAsync(backend, "{attempts: 3, retryOn: '5xx,reset'}");

        // The response's headers reach the client; only then does the backend reset. The client gets a broken body,
        // never a second try's answer spliced in, and the backend sees one request.
        using var response = await gateway.Client.GetAsync(new Uri("/reset-mid-body", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        backend.ResetMidBody();
        await Assert.ThrowsAnyAsync<Exception>(async () => await response.Content.ReadAsByteArrayAsync());

        Assert.Equal(1, backend.Requests);
    }

    [Fact]
    public async Task A_reset_before_the_response_is_retried_under_reset()
    {
        await using var backend = await FlakyBackend.StartAsync();
        await using var gateway = await GatewayAsync(backend, "{attempts: 2, retryOn: reset}");

        using var response = await gateway.Client.GetAsync(new Uri("/reset", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(3, backend.Requests);
    }
}
