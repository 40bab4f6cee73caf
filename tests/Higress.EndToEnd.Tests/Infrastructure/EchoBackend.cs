using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Higress.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A real Kestrel server on 127.0.0.1 that answers like the Gateway API conformance echo server: a JSON body with
/// the path, host, method and every request header it saw, plus the namespace and pod name it was configured with,
/// so a test can tell which backend got the request and what the gateway sent it.
/// A request header <c>X-Echo-Set-Header: Name:value,Other:value</c> makes it answer with those response headers
/// (as the conformance echo server does); <see cref="ResponseHeaders"/> are always added.
/// </summary>
public sealed class EchoBackend : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EchoBackend(WebApplication app, string ns, string pod, int port, IReadOnlyDictionary<string, string> responseHeaders)
    {
        _app = app;
        Namespace = ns;
        Pod = pod;
        Port = port;
        ResponseHeaders = responseHeaders;
    }

    /// <summary>The namespace it reports.</summary>
    public string Namespace { get; }

    /// <summary>The pod name it reports, e.g. <c>infra-backend-v1</c>.</summary>
    public string Pod { get; }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>Headers added to every response.</summary>
    public IReadOnlyDictionary<string, string> ResponseHeaders { get; }

    /// <summary>
    /// Every request this backend received, in arrival order, as it arrived on the wire (raw request target, headers,
    /// body): security tests assert what must never have reached it.
    /// </summary>
    public IReadOnlyCollection<ReceivedRequest> Received => _received;

    private readonly System.Collections.Concurrent.ConcurrentQueue<ReceivedRequest> _received = new();

    /// <summary>Starts a backend on a port the OS picks.</summary>
    public static async Task<EchoBackend> StartAsync(string ns, string pod, IReadOnlyDictionary<string, string>? responseHeaders = null)
    {
        var headers = responseHeaders ?? new Dictionary<string, string>();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        EchoBackend? backend = null;
        app.Run(async context =>
        {
            var target = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            backend!._received.Enqueue(new ReceivedRequest(
                context.Request.Method,
                target,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body.ToArray()));
            await Answer(context, ns, pod, headers);
        });
        await app.StartAsync();
        var address = app.Urls.Single();
        var port = new Uri(address).Port;
        backend = new EchoBackend(app, ns, pod, port, headers);
        return backend;
    }

    private static async Task Answer(HttpContext context, string ns, string pod, IReadOnlyDictionary<string, string> responseHeaders)
    {
        var request = context.Request;
        foreach (var (name, value) in responseHeaders)
        {
            context.Response.Headers.Append(name, value);
        }

        foreach (var spec in request.Headers["X-Echo-Set-Header"])
        {
            foreach (var pair in (spec ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var colon = pair.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    context.Response.Headers.Append(pair[..colon].Trim(), pair[(colon + 1)..].Trim());
                }
            }
        }

        var echo = new EchoResponse
        {
            Path = request.Path.Value + request.QueryString.Value,
            Host = request.Host.Value ?? string.Empty,
            Method = request.Method,
            Headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.Select(v => v ?? string.Empty).ToArray(), StringComparer.OrdinalIgnoreCase),
            Namespace = ns,
            Pod = pod,
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(echo, EchoResponse.Json));
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One request as an <see cref="EchoBackend"/> received it.</summary>
/// <param name="Method">The method.</param>
/// <param name="RawTarget">The request target exactly as sent (path and query, still percent-encoded).</param>
/// <param name="Headers">The headers (case-insensitive names; repeated values joined with commas).</param>
/// <param name="Body">The body bytes.</param>
public sealed record ReceivedRequest(string Method, string RawTarget, IReadOnlyDictionary<string, string> Headers, byte[] Body);

/// <summary>What <see cref="EchoBackend"/> answers.</summary>
public sealed class EchoResponse
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Path and query as received.</summary>
    public string Path { get; init; } = string.Empty;

    /// <summary>The Host header as received.</summary>
    public string Host { get; init; } = string.Empty;

    /// <summary>The method.</summary>
    public string Method { get; init; } = string.Empty;

    /// <summary>Every request header (case-insensitive names).</summary>
    public Dictionary<string, string[]> Headers { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The backend's namespace.</summary>
    public string Namespace { get; init; } = string.Empty;

    /// <summary>The backend's pod name.</summary>
    public string Pod { get; init; } = string.Empty;

    /// <summary>The path without the query string.</summary>
    public string PathOnly => Path.Split('?')[0];

    /// <summary>The values of a request header the backend saw, or none.</summary>
    public string[] Header(string name) => Headers.TryGetValue(name, out var values) ? values : [];

    /// <summary>A request header's values joined with a comma, or null when the backend did not see it.</summary>
    public string? HeaderValue(string name) => Headers.TryGetValue(name, out var values) ? string.Join(",", values) : null;

    internal static EchoResponse Parse(string body)
    {
        var parsed = JsonSerializer.Deserialize<EchoResponse>(body, Json) ?? throw new InvalidOperationException("empty echo body");
        return new EchoResponse
        {
            Path = parsed.Path,
            Host = parsed.Host,
            Method = parsed.Method,
            Headers = new Dictionary<string, string[]>(parsed.Headers, StringComparer.OrdinalIgnoreCase),
            Namespace = parsed.Namespace,
            Pod = parsed.Pod,
        };
    }
}
