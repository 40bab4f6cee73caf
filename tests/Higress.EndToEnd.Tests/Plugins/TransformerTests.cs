using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Higress.Core.Tests.Plugins.Transformer;
using Higress.EndToEnd.Tests.Infrastructure;

namespace Higress.EndToEnd.Tests.Plugins;

/// <summary>
/// The transformer plugin on real Kestrel servers: one Route per case (chosen by an <c>x-case</c> header, so that the
/// paths and host stay those of Higress's README), each with a transformer Extension whose config is an example of docs/plugins/transformer.md (Higress's README's).
/// </summary>
public sealed class TransformerTests : IAsyncLifetime
{
    private EchoBackend _backend = null!;
    private GatewayHost _gateway = null!;
    private HttpClient _client = null!;
    private int _port;

    internal static readonly Dictionary<string, string> Cases = new()
    {
        ["headers"] = TransformerDocExamples.Get("headers"),
        ["querys"] = TransformerDocExamples.Get("querys"),
        ["body"] = TransformerDocExamples.Get("body"),
        ["map"] = TransformerDocExamples.Get("map"),
        ["resp"] = TransformerDocExamples.Get("resp"),
        ["bad"] = "reqRules:\n- operate: upsert\n  headers:\n  - key: x-a\n    value: b",
    };

    public async Task InitializeAsync()
    {
        _backend = await EchoBackend.StartAsync("default", "echo", new Dictionary<string, string> { ["x-secret"] = "s3cret" });
        _port = FreePorts.Next();
        _gateway = await GatewayHost.StartAsync(new Dictionary<string, string>
        {
            ["gateway.yaml"] = GatewayYaml(_port, Cases),
            ["echo.yaml"] = ConformanceWorld.ServiceYaml("default", "echo", _backend.Port, servicePort: 80),
        });
        _client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AutomaticDecompression = System.Net.DecompressionMethods.None });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _gateway.DisposeAsync();
        await _backend.DisposeAsync();
    }

    /// <summary>A Gateway on <paramref name="port"/> and, per case, a Route selected by <c>x-case</c> with a transformer Extension.</summary>
    internal static string GatewayYaml(int port, IReadOnlyDictionary<string, string> cases)
    {
        var yaml = new StringBuilder($$"""
            apiVersion: networking.higress.io/v1alpha1
            kind: Gateway
            metadata: {name: gw}
            spec:
              listeners:
              - protocol: HTTP
                port: {{port}}

            """);
        foreach (var (name, config) in cases)
        {
            yaml.Append($$"""
                ---
                apiVersion: networking.higress.io/v1alpha1
                kind: Route
                metadata: {name: {{name}}}
                spec:
                  http:
                  - match:
                    - headers:
                        x-case:
                          exact: {{name}}
                    route:
                    - destination: {host: echo, port: 80}
                ---
                apiVersion: networking.higress.io/v1alpha1
                kind: Extension
                metadata: {name: transformer-{{name}}}
                spec:
                  plugin: transformer
                  targetRefs:
                  - kind: Route
                    name: {{name}}
                  config:

                """).Append(Indent(config, "    ")).Append('\n');
        }

        return yaml.ToString();
    }

    private static string Indent(string text, string prefix) => string.Join("\n", text.Split('\n').Select(line => prefix + line));

    private async Task<(HttpResponseMessage Response, string Body, ReceivedRequest? Received)> SendAsync(string @case, string pathAndQuery, HttpContent? content = null, params (string Name, string Value)[] headers)
    {
        var before = _backend.Received.Count;
        using var request = new HttpRequestMessage(content is null ? HttpMethod.Get : HttpMethod.Post, $"http://127.0.0.1:{_port}{pathAndQuery}") { Content = content };
        request.Headers.Host = "foo.bar.com";
        request.Headers.Add("x-case", @case);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await _client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var received = _backend.Received.Skip(before).Where(r => r.Headers.TryGetValue("x-case", out var c) && c == @case).ToList();
        Assert.True(received.Count <= 1);
        return (response, body, received.SingleOrDefault());
    }

    [Fact]
    public async Task Readme_header_example_reaches_the_backend_transformed()
    {
        // As the README's curl does, every value on its own header line (HttpClient would join them into one).
        var before = _backend.Received.Count;
        var raw = new StringBuilder("GET /get HTTP/1.1\r\nHost: foo.bar.com\r\nx-case: headers\r\nConnection: close\r\n");
        foreach (var (name, value) in new[]
        {
            ("X-remove", "exist"), ("X-not-renamed", "test"), ("X-replace", "not-replaced"),
            ("X-dedupe-first", "1"), ("X-dedupe-first", "2"), ("X-dedupe-first", "3"),
            ("X-dedupe-last", "a"), ("X-dedupe-last", "b"), ("X-dedupe-last", "c"),
            ("X-dedupe-unique", "1"), ("X-dedupe-unique", "2"), ("X-dedupe-unique", "3"),
            ("X-dedupe-unique", "3"), ("X-dedupe-unique", "2"), ("X-dedupe-unique", "1"),
        })
        {
            raw.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, _port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(raw.Append("\r\n").ToString()));
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var answer = await new StreamReader(stream).ReadToEndAsync(cancel.Token);
        Assert.StartsWith("HTTP/1.1 200", answer, StringComparison.Ordinal);

        var received = Assert.Single(_backend.Received.Skip(before), r => r.Headers.TryGetValue("x-case", out var c) && c == "headers");
        var headers = received.Headers;
        Assert.False(headers.ContainsKey("X-remove"));
        Assert.False(headers.ContainsKey("X-not-renamed"));
        Assert.Equal("test", headers["X-renamed"]);
        Assert.Equal("replaced", headers["X-replace"]);
        // Several values travel as one comma-separated line.
        Assert.Equal("host-foo.bar, path-get", headers["X-add-append"]);
        Assert.Equal("host-foo.bar, path-get", headers["X-map"]);
        Assert.Equal("1", headers["X-dedupe-first"]);
        Assert.Equal("c", headers["X-dedupe-last"]);
        Assert.Equal("1, 2, 3", headers["X-dedupe-unique"]);
    }

    [Fact]
    public async Task Readme_query_example_reaches_the_backend_with_the_rebuilt_query()
    {
        var (_, _, received) = await SendAsync("querys", "/get?k1=v11&k1=v12&k2=v2");
        Assert.Equal("/get?k2-new=v2-new&k3=v31-get&k3=v32&k4=v31-get", received!.RawTarget);
    }

    [Fact]
    public async Task Readme_body_example_reaches_the_backend_as_JSON_and_as_a_form()
    {
        var (_, _, json) = await SendAsync("body", "/post", new StringContent("""{"a1":"t1","a2":"t2","a3":"t3"}""", Encoding.UTF8, "application/json"));
        var body = JsonNode.Parse(json!.Body)!.AsObject();
        Assert.Equal(["a1-new", "a2-new", "a3", "a4"], body.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("""["t1-new","t1-foo.bar-append"]""", body["a1-new"]!.ToJsonString());
        Assert.Equal("t1-new", (string?)body["a4"]);
        Assert.Equal(json.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), json.Headers["Content-Length"]);

        var (_, _, form) = await SendAsync("body", "/post", new FormUrlEncodedContent([new("a1", "t1"), new("a2", "t2"), new("a3", "t3")]));
        Assert.Equal("a1-new=t1-new&a1-new=t1-foo.bar-append&a2-new=t2&a3=t3-new&a4=t1-new", Encoding.UTF8.GetString(form!.Body));
    }

    [Fact]
    public async Task Readme_map_from_body_sets_the_header_and_forwards_the_body_unchanged()
    {
        const string payload = """{"userId":12, "userName":"johnlanni"}""";
        var (_, _, received) = await SendAsync("map", "/", new StringContent(payload, Encoding.UTF8, "application/json"));
        Assert.Equal("12", received!.Headers["x-user-id"]);
        Assert.Equal(payload, Encoding.UTF8.GetString(received.Body));
    }

    [Fact]
    public async Task Response_rules_change_the_upstream_answer_before_the_client_sees_it()
    {
        var (response, body, received) = await SendAsync("resp", "/get");
        Assert.NotNull(received);
        Assert.Equal("value", (string?)JsonNode.Parse(body)!["foo"]!["bar"]);
        Assert.Equal("echo", (string?)JsonNode.Parse(body)!["pod"]);
        Assert.Equal("host-foo.bar", response.Headers.GetValues("x-resp").Single());
        Assert.False(response.Headers.Contains("x-secret"));
        Assert.Equal(Encoding.UTF8.GetByteCount(body), response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task A_never_valid_config_fails_closed_and_forwards_nothing()
    {
        var (response, _, received) = await SendAsync("bad", "/get");
        Assert.Equal(500, (int)response.StatusCode);
        Assert.Null(received);

        var dump = (await _gateway.Client.ConfigDumpAsync()).ToJsonString();
        Assert.Contains("Extension default/transformer-bad: spec.config.reqRules[0].operate", dump, StringComparison.Ordinal);

        // The other cases keep serving.
        var (ok, _, _) = await SendAsync("map", "/");
        Assert.Equal(200, (int)ok.StatusCode);
    }
}
