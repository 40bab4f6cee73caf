using System.Globalization;
using System.Text.Json;
using Higress.Core.Diagnostics;
using Higress.Core.Plan;
using Higress.Core.Plugins;
using Higress.Core.Resources;
using Higress.Hosting.Plugins.KeyRateLimit;
using Higress.Hosting.Runtime;
using Microsoft.AspNetCore.Http;

namespace Higress.Hosting.Tests.Plugins.KeyRateLimit;

/// <summary>key-rate-limit on its own: config errors name the field and the fix; requests are counted per listed value.</summary>
public sealed class KeyRateLimitPluginTests
{
    private static readonly KeyRateLimitPlugin Plugin = new(new HigressMetrics(new HigressMeter()), TimeProvider.System);

    private static readonly RoutePlan Route = new("Route/default/r/0", new ResourceKey(ResourceKinds.Route, "default", "r"), null, new RouteOrder(null, 0, 0), [], [], new ForwardAction([]));

    private static (KeyRateLimitConfig Config, PluginConfigContext Context) Parse(string json)
    {
        var context = new PluginConfigContext(KeyRateLimitPlugin.PluginName, "Extension default/limit");
        using var document = JsonDocument.Parse(json);
        return (Plugin.ParseConfig(document.RootElement, context), context);
    }

    private static KeyRateLimitConfig Valid(string json)
    {
        var (config, context) = Parse(json);
        Assert.False(context.HasErrors, string.Join("\n", context.Errors));
        return config;
    }

    private static async Task<int> SendAsync(KeyRateLimitConfig config, KeyRateLimitPlugin.State state, string? header = null, string? query = null)
    {
        var http = new DefaultHttpContext();
        if (header is not null)
        {
            http.Request.Headers["x-ca-key"] = header;
        }

        if (query is not null)
        {
            http.Request.QueryString = new QueryString("?apikey=" + Uri.EscapeDataString(query));
        }

        var result = await Plugin.OnRequestAsync(new PluginContext(http, Route), config, state);
        if (result.IsContinue)
        {
            return 200;
        }

        Assert.Equal(KeyRateLimitPlugin.RejectedBody, result.Body);
        Assert.InRange(int.Parse(http.Response.Headers.RetryAfter.ToString(), CultureInfo.InvariantCulture), 1, 86_400);
        return result.StatusCode;
    }

    [Theory]
    [InlineData("""{"limit_by_header": "x-ca-key", "limit_by_param": "apikey", "limit_keys": [{"key": "a", "query_per_second": 1}]}""", "limit_by_param", "both set")]
    [InlineData("""{"limit_keys": [{"key": "a", "query_per_second": 1}]}""", "limit_by_header", "neither")]
    [InlineData("""{"limit_by_header": "x-ca-key"}""", "limit_keys", "is empty")]
    [InlineData("""{"limit_by_header": "x-ca-key", "limit_keys": [{"key": "a"}]}""", "limit_keys[0]", "sets no rate")]
    [InlineData("""{"limit_by_header": "x-ca-key", "limit_keys": [{"key": "a", "query_per_second": 1, "query_per_day": 9}]}""", "limit_keys[0].query_per_day", "both set")]
    [InlineData("""{"limit_by_header": "x-ca-key", "limit_keys": [{"key": "", "query_per_minute": 1}]}""", "limit_keys[0].key", "missing or empty")]
    [InlineData("""{"limit_by_header": "x-ca-key", "limit_keys": [{"query_per_minute": 1}]}""", "limit_keys[0].key", "missing or empty")]
    [InlineData("""{"limit_by_header": "x-ca-key", "limit_keys": [{"key": "a", "query_per_minute": 0}]}""", "limit_keys[0].query_per_minute", "not a rate")]
    [InlineData("""{"limit_by_header": "x-ca-key", "limit_keys": [{"key": "a", "query_per_minute": 1}, {"key": "a", "query_per_hour": 1}]}""", "limit_keys[1].key", "listed twice")]
    public void A_bad_config_is_an_error_on_its_field_with_a_fix(string json, string field, string message)
    {
        var (_, context) = Parse(json);

        var error = Assert.Single(context.Errors);
        Assert.Equal(field, error.FieldPath);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(error.Fix));
    }

    [Fact]
    public void Higress_examples_parse_unchanged_with_numeric_keys_read_as_text()
    {
        var config = Valid("""{"limit_by_header": "x-ca-key", "limit_keys": [{"key": 102234, "query_per_second": 10}, {"key": 308239, "query_per_hour": 10}]}""");

        Assert.True(config.ByHeader);
        Assert.Equal("x-ca-key", config.Source);
        Assert.Equal(["102234", "308239"], config.LimitKeys.Select(k => k.Key));
    }

    [Fact]
    public async Task A_listed_header_value_gets_its_rate_and_other_values_pass()
    {
        var config = Valid("""{"limit_by_header": "x-ca-key", "limit_keys": [{"key": "a", "query_per_minute": 2}, {"key": "b", "query_per_minute": 3}]}""");
        using var state = Plugin.CreateState(config);

        var a = new List<int>();
        var b = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            a.Add(await SendAsync(config, state, header: "a"));
            b.Add(await SendAsync(config, state, header: "b"));
        }

        Assert.Equal([200, 200, 429, 429], a);
        Assert.Equal([200, 200, 200, 429], b);
        Assert.Equal(200, await SendAsync(config, state, header: "c"));
        Assert.Equal(200, await SendAsync(config, state));
    }

    [Fact]
    public async Task A_listed_query_value_gets_its_rate_and_other_values_pass()
    {
        var config = Valid("""{"limit_by_param": "apikey", "limit_keys": [{"key": "9a342114", "query_per_hour": 1}]}""");
        using var state = Plugin.CreateState(config);

        Assert.Equal(200, await SendAsync(config, state, query: "9a342114"));
        Assert.Equal(429, await SendAsync(config, state, query: "9a342114"));
        Assert.Equal(200, await SendAsync(config, state, query: "other"));
    }

    [Fact]
    public async Task A_million_distinct_unlisted_values_create_no_bucket()
    {
        var config = Valid("""{"limit_by_header": "x-ca-key", "limit_keys": [{"key": "a", "query_per_day": 5}, {"key": "b", "query_per_day": 5}, {"key": "c", "query_per_second": 5}]}""");
        using var state = Plugin.CreateState(config);

        var http = new DefaultHttpContext();
        var context = new PluginContext(http, Route);
        for (var i = 0; i < 1_000_000; i++)
        {
            http.Request.Headers["x-ca-key"] = i.ToString(CultureInfo.InvariantCulture);
            Assert.True((await Plugin.OnRequestAsync(context, config, state)).IsContinue);
        }

        Assert.Equal(200, await SendAsync(config, state, header: "a"));

        // Two rates, two stores; at most one bucket per listed value, whatever the traffic.
        Assert.Equal(2, state.Limits.Values.Distinct().Count());
        Assert.Equal(1, state.Limits.Values.Distinct().Sum(p => p.Count));
    }
}
