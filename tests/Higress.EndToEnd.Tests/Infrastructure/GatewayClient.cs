using System.Net;
using System.Text.Json.Nodes;

namespace Higress.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Sends requests to gateway listener ports on 127.0.0.1 with any Host header, never following redirects,
/// and reads the admin endpoints.
/// </summary>
public sealed class GatewayClient : IDisposable
{
    private readonly HttpClient _http;

    /// <summary>Creates a client for a gateway whose admin endpoints listen on <paramref name="adminPort"/>.</summary>
    public GatewayClient(int adminPort)
    {
        AdminPort = adminPort;
        _http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromSeconds(30),
            MaxConnectionsPerServer = 64,
        })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>The admin port.</summary>
    public int AdminPort { get; }

    /// <summary>Sends <paramref name="method"/> <paramref name="pathAndQuery"/> to the listener on <paramref name="port"/> with Host <paramref name="host"/>.</summary>
    public async Task<GatewayResponse> SendAsync(int port, string host, string pathAndQuery, HttpMethod? method = null, IEnumerable<KeyValuePair<string, string>>? headers = null, string address = "127.0.0.1")
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, new Uri($"http://{address}:{port}{pathAndQuery}"));
        request.Headers.Host = host;
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return new GatewayResponse(response, body);
    }

    /// <summary>GET <paramref name="path"/> on the admin port.</summary>
    public async Task<(HttpStatusCode Status, string Body)> AdminAsync(string path)
    {
        using var response = await _http.GetAsync(new Uri($"http://127.0.0.1:{AdminPort}{path}"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The parsed <c>/config_dump</c>.</summary>
    public async Task<JsonObject> ConfigDumpAsync()
    {
        var (status, body) = await AdminAsync("/config_dump");
        if (status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"/config_dump answered {(int)status}: {body}");
        }

        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>Waits until <c>/readyz</c> answers 200 and the applied plan's generation is at least <paramref name="generation"/>.</summary>
    public async Task<long> WaitReadyAsync(long generation = 0, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        string last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var (status, body) = await AdminAsync("/readyz");
                if (status == HttpStatusCode.OK)
                {
                    var current = await GenerationAsync();
                    if (current >= generation)
                    {
                        return current;
                    }

                    last = $"generation {current} < {generation}";
                }
                else
                {
                    last = $"/readyz {(int)status}: {body}";
                }
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"gateway not ready: {last}");
    }

    /// <summary>The generation of the applied plan.</summary>
    public async Task<long> GenerationAsync() => (long?)(await ConfigDumpAsync())["generation"] ?? 0;

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();
}

/// <summary>A response from the gateway, with its body read.</summary>
public sealed class GatewayResponse(HttpResponseMessage response, string body)
{
    /// <summary>The status code.</summary>
    public HttpStatusCode Status { get; } = response.StatusCode;

    /// <summary>The status code as a number.</summary>
    public int Code => (int)Status;

    /// <summary>The body.</summary>
    public string Body { get; } = body;

    /// <summary>The Location header, as sent.</summary>
    public string? Location { get; } = response.Headers.TryGetValues("Location", out var values) ? values.First() : null;

    /// <summary>Response headers (including content headers), by lower-case name.</summary>
    public IReadOnlyDictionary<string, string[]> Headers { get; } = response.Headers.Concat(response.Content.Headers)
        .GroupBy(h => h.Key.ToLowerInvariant())
        .ToDictionary(g => g.Key, g => g.SelectMany(h => h.Value).ToArray());

    /// <summary>The echo server's view of the request (throws when the body is not an echo answer).</summary>
    public EchoResponse Echo => EchoResponse.Parse(Body);

    /// <summary>A response header's values joined with a comma, or null when absent.</summary>
    public string? HeaderValue(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var values) ? string.Join(",", values) : null;

    /// <summary>The values of a response header, or none.</summary>
    public string[] Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var values) ? values : [];

    /// <inheritdoc/>
    public override string ToString() => $"{Code} {Body}";
}
