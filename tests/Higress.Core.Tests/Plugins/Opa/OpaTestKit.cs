using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Higress.Core.Diagnostics;
using Higress.Core.Plugins;
using Higress.Core.Plugins.BuiltIn.Opa;
using Higress.Core.Resources;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static Higress.Core.Tests.Plugins.PluginTestData;

namespace Higress.Core.Tests.Plugins.Opa;

/// <summary>The opa plugin with real services (HTTP client factory, meter, a recording logger) and a request helper.</summary>
internal sealed class OpaTestKit
{
    private static readonly IHttpClientFactory HttpClients = new ServiceCollection().AddHttpClient().BuildServiceProvider().GetRequiredService<IHttpClientFactory>();

    public OpaTestKit()
    {
        Plugin = new OpaPlugin(HttpClients, TimeProvider.System, Logger, new HigressMeter(), Reports);
    }

    public OpaPlugin Plugin { get; }

    public PluginRuntimeReports Reports { get; } = new();

    public RecordingLogger Logger { get; } = new();

    public OpaConfig Config(string json)
    {
        var (config, errors) = ParseConfig(Plugin, json);
        Assert.Empty(errors);
        return config;
    }

    /// <summary>Decides one request; returns the result and the request (to see the headers the decision set).</summary>
    public async Task<(PluginResult Result, HttpContext Http)> SendAsync(
        OpaConfig config, OpaState state, string method = "GET", string path = "/", string query = "", IEnumerable<KeyValuePair<string, string>>? headers = null,
        string? body = null, string? consumer = null, FailStrategy failStrategy = FailStrategy.FailClose)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = method;
        http.Request.Scheme = "http";
        http.Request.Host = new HostString("api.example.com");
        http.Request.Path = path;
        http.Request.QueryString = new QueryString(query);
        foreach (var (name, value) in headers ?? [])
        {
            http.Request.Headers.Append(name, value);
        }

        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            http.Request.Body = new MemoryStream(bytes);
            http.Request.ContentLength = bytes.Length;
            http.Request.ContentType = "application/json";
        }

        var context = new PluginContext(http, Route()) { InstanceState = state, FailStrategy = failStrategy };
        if (consumer is not null)
        {
            context.Consumer = consumer;
        }

        var result = await Plugin.OnRequestAsync(context, config);
        if (result.IsContinue)
        {
            await Plugin.OnResponseAsync(context, config);
        }

        return (result, http);
    }

    /// <summary>A config of an inline policy (<paramref name="rego"/>), with extra fields.</summary>
    public static string Inline(string rego, string policy = "authz/allow", string extra = "") =>
        $$"""{"policy": {{JsonSerializer.Serialize(policy)}}, "rego": {{JsonSerializer.Serialize(rego)}}{{(extra.Length == 0 ? string.Empty : ", " + extra)}}}""";

    /// <summary>An unsigned JWT whose payload is <paramref name="claims"/> (io.jwt.decode reads it without a key).</summary>
    public static string Jwt(string claims)
    {
        static string Part(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{Part("""{"alg":"HS256","typ":"JWT"}""")}.{Part(claims)}.c2lnbmF0dXJl";
    }
}

/// <summary>Keeps every log event (id, level, message) for assertions.</summary>
internal sealed class RecordingLogger : ILogger<OpaPlugin>
{
    public ConcurrentQueue<(EventId Id, LogLevel Level, string Message)> Events { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Events.Enqueue((eventId, logLevel, formatter(state, exception)));
}
