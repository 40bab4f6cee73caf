using System.Text.Json;
using Higress.Core.Plugins;
using Higress.Core.Plugins.BuiltIn.CustomResponse;
using Higress.Core.Resources;
using static Higress.Core.Tests.Plugins.PluginChainTests;
using static Higress.Core.Tests.Plugins.PluginTestData;

namespace Higress.Core.Tests.Plugins;

public class CustomResponsePluginTests
{
    private static (CustomResponseConfig Config, IReadOnlyList<PluginConfigError> Errors) Parse(string json) => Parse(json, out _);

    private static (CustomResponseConfig Config, IReadOnlyList<PluginConfigError> Errors) Parse(string json, out IReadOnlyList<PluginConfigError> warnings)
    {
        var context = new PluginConfigContext("custom-response", "test");
        var config = new CustomResponsePlugin().ParseConfig(JsonDocument.Parse(json).RootElement, context);
        warnings = context.Warnings;
        return (config, context.Errors);
    }

    [Fact]
    public void Defaults_to_200_with_no_headers_or_body()
    {
        var (config, errors) = Parse("{}");
        Assert.Empty(errors);
        Assert.Equal(200, config.StatusCode);
        Assert.True(config.Headers.IsEmpty);
        Assert.Null(config.Body);
        Assert.True(config.EnableOnStatus.IsEmpty);
    }

    [Fact]
    public void Reports_every_invalid_field_with_its_path_and_unknown_fields_as_warnings()
    {
        var (_, errors) = Parse("""{"status_code": 99, "headers": ["ok=1", "no-separator"], "body": {}, "enable_on_status": [429, "x"], "statuscode": 1}""", out var warnings);

        // Binding errors first (each field on its own); the checks across a field's values wait until it binds.
        Assert.Equal(["body", "enable_on_status[1]", "status_code"], errors.Select(e => e.FieldPath).Order(StringComparer.Ordinal));
        Assert.All(errors, e => Assert.False(string.IsNullOrEmpty(e.Fix)));
        var unknown = Assert.Single(warnings);
        Assert.Equal("statuscode", unknown.FieldPath);
        Assert.Contains("status_code", unknown.Fix, StringComparison.Ordinal);

        (_, errors) = Parse("""{"headers": ["ok=1", "no-separator", "=x"], "enable_on_status": [429, 700], "rules": []}""");
        Assert.Equal(["enable_on_status[1]", "headers[1]", "headers[2]", "rules"], errors.Select(e => e.FieldPath).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Scalars_bind_as_Higress_reads_them()
    {
        var (config, errors) = Parse("""{"body": 1, "headers": ["a=1"]}""");
        Assert.Empty(errors);
        Assert.Equal("1", config.Body);
        Assert.Equal("a", Assert.Single(config.ParsedHeaders).Name);
    }

    [Fact]
    public async Task Without_enable_on_status_it_answers_every_request_itself()
    {
        var chain = Chain("""{"status_code": 200, "headers": ["Content-Type=application/json", "Hello=World"], "body": "{\"hello\":\"world\"}"}""", out var route);
        var context = NewContext();

        Assert.False(await chain.ExecuteRequestAsync(context, route));

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("application/json", context.Response.ContentType);
        Assert.Equal("World", context.Response.Headers["Hello"]);
        Assert.Equal(17, context.Response.ContentLength);
        Assert.Equal("""{"hello":"world"}""", Body(context));
    }

    [Fact]
    public async Task Adds_a_content_type_when_the_headers_name_none()
    {
        var chain = Chain("""{"status_code": 503, "body": "down for maintenance"}""", out var route);
        var context = NewContext();

        Assert.False(await chain.ExecuteRequestAsync(context, route));

        Assert.Equal(503, context.Response.StatusCode);
        Assert.Equal("text/plain; charset=utf-8", context.Response.ContentType);
        Assert.Equal("down for maintenance", Body(context));
    }

    [Fact]
    public async Task With_enable_on_status_it_replaces_a_matching_proxied_response()
    {
        var chain = Chain("""{"enable_on_status": [429], "status_code": 302, "headers": ["Location=https://example.com"]}""", out var route);

        var passed = NewContext();
        Assert.True(await chain.ExecuteRequestAsync(passed, route));
        passed.Response.StatusCode = 200;
        Assert.False(await chain.ExecuteResponseAsync(passed, route));
        Assert.Equal(200, passed.Response.StatusCode);

        var limited = NewContext();
        Assert.True(await chain.ExecuteRequestAsync(limited, route));
        limited.Response.StatusCode = 429;
        limited.Response.Headers["x-ratelimit-remaining"] = "0";
        Assert.True(await chain.ExecuteResponseAsync(limited, route));
        Assert.Equal(302, limited.Response.StatusCode);
        Assert.Equal("https://example.com", limited.Response.Headers.Location);
        Assert.False(limited.Response.Headers.ContainsKey("x-ratelimit-remaining"));
        Assert.Equal(0, limited.Response.ContentLength);
    }

    [Fact]
    public async Task With_enable_on_status_it_replaces_a_local_response_of_a_later_plugin()
    {
        var log = new List<string>();
        var catalog = new PluginCatalog([new RecordingPlugin("limiter", log, PluginPhase.Unspecified, 10)]);
        var route = Route(plugins:
        [
            Binding("custom-response", PluginPhase.Authn, 910, config: """{"enable_on_status": [429], "status_code": 200, "body": "slow down"}"""),
            Binding("limiter", PluginPhase.Unspecified, 10, config: """{"respond": 429}"""),
        ]);
        var chain = new PluginChainFactory(catalog).Create(route);
        var context = NewContext();

        Assert.False(await chain.ExecuteRequestAsync(context, route));

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("slow down", Body(context));
    }

    private static PluginChain Chain(string config, out Higress.Core.Plan.RoutePlan route)
    {
        route = Route(plugins: [Binding("custom-response", PluginPhase.Authn, 910, config: config)]);
        return new PluginChainFactory(PluginCatalog.BuiltIn).Create(route);
    }
}
