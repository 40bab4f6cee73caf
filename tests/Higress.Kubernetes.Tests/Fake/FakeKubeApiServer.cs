using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Higress.Kubernetes.Tests.Fake;

/// <summary>
/// A FAKE Kubernetes API server for tests (no real one can run here): Kestrel on 127.0.0.1 speaking the parts of the
/// protocol the watch source uses. Lists (<c>limit</c>/<c>continue</c> paging, <c>labelSelector</c> equality terms)
/// carry the store's resourceVersion; watches (<c>?watch=1&amp;resourceVersion=N&amp;allowWatchBookmarks=true&amp;
/// timeoutSeconds=S</c>) are chunked streams of JSON lines with ADDED, MODIFIED, DELETED, BOOKMARK and ERROR events,
/// replayed from N; a version older than the last <see cref="FakeKubeStore.Compact"/> gets an ERROR event with a 410
/// Status, as the real server sends; a resource not <see cref="Serve"/>d (a CRD not installed) answers 404; requests
/// without the bearer token answer 401. Tests drive it through <see cref="Store"/> and can cut every open stream.
/// </summary>
internal sealed class FakeKubeApiServer : IAsyncDisposable
{
    public const string Token = "fake-token";

    private readonly WebApplication _app;
    private int _lists;
    private int _watches;
    private TaskCompletionSource _listGate = Open();
    private TaskCompletionSource _watchGate = Open();

    private FakeKubeApiServer(WebApplication app) => _app = app;

    public FakeKubeStore Store { get; } = new();

    public Uri Address { get; private set; } = null!;

    /// <summary>How many list requests were served (the first lists, re-lists, resyncs).</summary>
    public int Lists => Volatile.Read(ref _lists);

    /// <summary>How many watch requests were served.</summary>
    public int Watches => Volatile.Read(ref _watches);

    /// <summary>Starts the fake serving the core kinds (Namespace, Service, Secret, EndpointSlice) and the native Higress CRDs.</summary>
    public static async Task<FakeKubeApiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeKubeApiServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        foreach (var resource in new[] { "api/v1/namespaces", "api/v1/services", "api/v1/secrets", "api/v1/configmaps", "apis/discovery.k8s.io/v1/endpointslices" })
        {
            server.Store.Serve(resource);
        }

        foreach (var plural in new[] { "gateways", "routes", "serviceentries", "extensions" })
        {
            server.Store.Serve($"apis/networking.higress.io/v1alpha1/{plural}");
        }

        return server;
    }

    /// <summary>Writes a kubeconfig file whose current context points at this server with the bearer token.</summary>
    public string WriteKubeconfig(string directory)
    {
        var path = Path.Combine(directory, "kubeconfig");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake
              cluster:
                server: {Address.ToString().TrimEnd('/')}
            users:
            - name: fake
              user:
                token: {Token}
            contexts:
            - name: fake
              context:
                cluster: fake
                user: fake
                namespace: default
            current-context: fake
            """);
        return path;
    }

    /// <summary>Creates or replaces an object given as JSON; its resource follows from apiVersion and kind.</summary>
    public JsonObject Put(string json)
    {
        var item = (JsonObject)JsonNode.Parse(json)!;
        return Store.Put(ResourceOf(item), item);
    }

    /// <summary>Stores many objects under one lock, so that their events go out as one burst.</summary>
    public void PutMany(IEnumerable<string> json)
    {
        lock (Store)
        {
            foreach (var item in json)
            {
                Put(item);
            }
        }
    }

    /// <summary>List requests wait (a slow API server) until <see cref="ReleaseLists"/>.</summary>
    public void HoldLists() => _listGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ReleaseLists() => _listGate.TrySetResult();

    /// <summary>Watch requests wait until <see cref="ReleaseWatches"/>.</summary>
    public void HoldWatches() => _watchGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ReleaseWatches() => _watchGate.TrySetResult();

    /// <summary>Deletes <c>kind</c> <c>namespace/name</c> of <paramref name="apiVersion"/>.</summary>
    public bool Delete(string apiVersion, string kind, string key) =>
        Store.Delete(ResourceOf(new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind }), key);

    public async ValueTask DisposeAsync()
    {
        ReleaseLists();
        ReleaseWatches();
        Store.CutAll();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static TaskCompletionSource Open()
    {
        var gate = new TaskCompletionSource();
        gate.SetResult();
        return gate;
    }

    private static string ResourceOf(JsonObject item)
    {
        var apiVersion = (string)item["apiVersion"]!;
        var plural = ((string)item["kind"]!).ToLowerInvariant() switch
        {
            "serviceentry" => "serviceentries",
            var kind => kind + "s",
        };
        return apiVersion.Contains('/', StringComparison.Ordinal) ? $"apis/{apiVersion}/{plural}" : $"api/{apiVersion}/{plural}";
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Headers.Authorization.ToString() != $"Bearer {Token}")
        {
            await WriteStatus(context, 401, "Unauthorized", "no valid bearer token");
            return;
        }

        if (!TryParsePath(context.Request.Path.Value ?? string.Empty, out var resource, out var ns) || !Store.IsServed(resource))
        {
            await WriteStatus(context, 404, "NotFound", $"the server could not find the requested resource ({context.Request.Path})");
            return;
        }

        var query = context.Request.Query;
        var selector = Selector(query["labelSelector"].ToString());
        if (query["watch"] is ["1" or "true"])
        {
            await _watchGate.Task.WaitAsync(context.RequestAborted);
            Interlocked.Increment(ref _watches);
            await WatchAsync(context, resource, ns, selector);
            return;
        }

        await _listGate.Task.WaitAsync(context.RequestAborted);
        Interlocked.Increment(ref _lists);
        var (items, version) = Store.List(resource, ns, selector);
        var limit = int.TryParse(query["limit"], CultureInfo.InvariantCulture, out var l) && l > 0 ? l : int.MaxValue;
        var start = query["continue"].ToString() is { Length: > 0 } token ? int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)), CultureInfo.InvariantCulture) : 0;
        var page = items.Skip(start).Take(limit).ToList();
        foreach (var item in page)
        {
            // As the real server answers a typed list: the items carry no apiVersion or kind.
            item.Remove("apiVersion");
            item.Remove("kind");
        }

        var more = start + page.Count < items.Count;
        var list = new JsonObject
        {
            ["kind"] = "List",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject
            {
                ["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture),
                ["continue"] = more ? Convert.ToBase64String(Encoding.UTF8.GetBytes((start + page.Count).ToString(CultureInfo.InvariantCulture))) : null,
            },
            ["items"] = new JsonArray([.. page]),
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(list.ToJsonString());
    }

    private async Task WatchAsync(HttpContext context, string resource, string? ns, Func<JsonObject, bool> selector)
    {
        var from = long.TryParse(context.Request.Query["resourceVersion"], CultureInfo.InvariantCulture, out var v) ? v : Store.Version;
        var timeout = int.TryParse(context.Request.Query["timeoutSeconds"], CultureInfo.InvariantCulture, out var t) ? TimeSpan.FromSeconds(t) : TimeSpan.FromMinutes(30);
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync();
        var subscriber = Store.Watch(resource, ns, selector, from);
        if (subscriber is null)
        {
            var status = StatusObject(410, "Expired", $"too old resource version: {from} ({Store.Version})");
            await context.Response.WriteAsync(new JsonObject { ["type"] = "ERROR", ["object"] = status }.ToJsonString() + "\n");
            return;
        }

        using var ends = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, subscriber.Cut.Token);
        ends.CancelAfter(timeout);
        try
        {
            await foreach (var line in subscriber.Events.Reader.ReadAllAsync(ends.Token))
            {
                await context.Response.WriteAsync(line + "\n", ends.Token);
                await context.Response.Body.FlushAsync(ends.Token);
            }
        }
        catch (OperationCanceledException) when (subscriber.Cut.IsCancellationRequested)
        {
            // A cut: the connection drops mid-stream, without the chunked terminator.
            context.Abort();
        }
        catch (OperationCanceledException)
        {
            // timeoutSeconds passed or the client left: the stream ends normally.
        }
        finally
        {
            Store.Unsubscribe(subscriber);
        }
    }

    /// <summary><c>/api/v1/[namespaces/NS/]PLURAL</c> or <c>/apis/GROUP/VERSION/[namespaces/NS/]PLURAL</c>.</summary>
    private static bool TryParsePath(string path, out string resource, out string? ns)
    {
        var parts = path.Trim('/').Split('/');
        var prefix = parts.Length > 0 && parts[0] == "api" ? 2 : 3;
        resource = string.Empty;
        ns = null;
        if (parts.Length < prefix + 1 || (parts[0] != "api" && parts[0] != "apis"))
        {
            return false;
        }

        var rest = parts[prefix..];
        var head = string.Join('/', parts[..prefix]);
        switch (rest)
        {
            case [var plural]:
                resource = $"{head}/{plural}";
                return true;
            case ["namespaces", var name, var plural]:
                ns = Uri.UnescapeDataString(name);
                resource = $"{head}/{plural}";
                return true;
            default:
                return false;
        }
    }

    /// <summary>Equality terms only (<c>a=b,c==d</c>), which is what the watch source sends.</summary>
    private static Func<JsonObject, bool> Selector(string text)
    {
        var terms = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(term => term.Replace("==", "=", StringComparison.Ordinal).Split('=', 2))
            .ToList();
        return item => terms.TrueForAll(term => (string?)((item["metadata"] as JsonObject)?["labels"] as JsonObject)?[term[0]] == term[^1]);
    }

    private static JsonObject StatusObject(int code, string reason, string message) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["code"] = code,
    };

    private static async Task WriteStatus(HttpContext context, int code, string reason, string message)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(StatusObject(code, reason, message).ToJsonString());
    }
}
