using System.Net;
using System.Text.Json.Nodes;
using k8s;

namespace Higress.Kubernetes.Watching;

/// <summary>
/// The few API calls the watch source and the status writer make, as raw list, watch and status-patch requests (one
/// code path for core kinds and CRDs alike). KubernetesClient loads the configuration and authenticates; the JSON stays
/// untyped, because the objects go to the same parser the file source uses. Leader election uses the typed client
/// (<see cref="Client"/>), as KubernetesClient's LeaseLock needs it.
/// </summary>
internal sealed class KubeApi : IDisposable
{
    /// <summary>Items per list page: a large cluster is listed in pages rather than one huge response.</summary>
    private const int PageSize = 500;

    private readonly k8s.Kubernetes _client;

    public KubeApi(KubernetesClientConfiguration configuration)
    {
        _client = new k8s.Kubernetes(configuration);
        BaseUri = _client.BaseUri;
    }

    /// <summary>The API server's address.</summary>
    public Uri BaseUri { get; }

    /// <summary>The typed client, for KubernetesClient's leader election.</summary>
    public IKubernetes Client => _client;

    /// <summary>
    /// Loads the client configuration: the named kubeconfig file, else the pod's service account, else the file that
    /// <c>KUBECONFIG</c> names, else <c>~/.kube/config</c>.
    /// </summary>
    public static KubernetesClientConfiguration LoadConfiguration(string? kubeconfig)
    {
        if (!string.IsNullOrWhiteSpace(kubeconfig))
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig);
        }

        return KubernetesClientConfiguration.IsInCluster()
            ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildDefaultConfig();
    }

    /// <summary>Lists one page; throws <see cref="KubeApiException"/> for an error status (404: kind not served).</summary>
    public async Task<ListPage> ListAsync(WatchedKind kind, string? ns, string? labelSelector, string? continueToken, CancellationToken cancellationToken)
    {
        var query = $"limit={PageSize}" + Param("continue", continueToken) + Param("labelSelector", labelSelector);
        using var response = await SendAsync(kind.Path(ns), query, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var list = JsonNode.Parse(body) as JsonObject ?? throw new KubeApiException(0, $"the list of {kind} is not a JSON object");
        var items = (list["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var metadata = list["metadata"] as JsonObject;
        return new ListPage(items, (string?)metadata?["resourceVersion"] ?? string.Empty, NullIfEmpty((string?)metadata?["continue"]));
    }

    /// <summary>Opens a watch from <paramref name="resourceVersion"/> with bookmarks; the caller reads event lines until the stream ends.</summary>
    public async Task<HttpResponseMessage> WatchAsync(WatchedKind kind, string? ns, string? labelSelector, string resourceVersion, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var query = $"watch=1&allowWatchBookmarks=true&timeoutSeconds={(int)Math.Max(1, timeout.TotalSeconds)}"
            + Param("resourceVersion", resourceVersion) + Param("labelSelector", labelSelector);
        return await SendAsync(kind.Path(ns), query, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Merge-patches the <c>/status</c> subresource of one object with <paramref name="status"/> (the whole new status);
    /// the spec is never touched. <paramref name="userAgent"/> names this replica to the API server's audit log.
    /// </summary>
    public async Task PatchStatusAsync(WatchedKind kind, string? ns, string name, JsonObject status, string userAgent, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["status"] = status.DeepClone() }.ToJsonString();
        using var content = new StringContent(body, System.Text.Encoding.UTF8);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/merge-patch+json");
        var path = $"{kind.Path(ns)}/{Uri.EscapeDataString(name)}/status";
        using var response = await SendAsync(path, string.Empty, cancellationToken, HttpMethod.Patch, content, userAgent).ConfigureAwait(false);
    }

    public void Dispose() => _client.Dispose();

    private async Task<HttpResponseMessage> SendAsync(string path, string query, CancellationToken cancellationToken, HttpMethod? method = null, HttpContent? content = null, string? userAgent = null)
    {
        method ??= HttpMethod.Get;
        using var request = new HttpRequestMessage(method, new Uri(BaseUri, query.Length == 0 ? path : $"{path}?{query}")) { Content = content };
        request.Headers.Accept.ParseAdd("application/json");
        if (userAgent is not null)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        }

        if (_client.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var response = await _client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new KubeApiException((int)response.StatusCode, $"{method} {path}: {(int)response.StatusCode} {StatusMessage(text) ?? response.ReasonPhrase}");
        }
    }

    private static string? StatusMessage(string text)
    {
        try
        {
            return (string?)(JsonNode.Parse(text) as JsonObject)?["message"];
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static string Param(string name, string? value) => string.IsNullOrEmpty(value) ? string.Empty : $"&{name}={Uri.EscapeDataString(value)}";

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

/// <summary>One page of a list: its items, the list's resourceVersion and the token for the next page.</summary>
internal sealed record ListPage(IReadOnlyList<JsonObject> Items, string ResourceVersion, string? Continue);

/// <summary>The API server answered with an error status (or an ERROR watch event carried one).</summary>
internal sealed class KubeApiException(int status, string message) : Exception(message)
{
    /// <summary>The HTTP status, e.g. 404 (kind not served) or 410 (resourceVersion too old); 0 when unknown.</summary>
    public int Status { get; } = status;

    /// <summary>410 Gone: the resourceVersion is too old (compacted); list again.</summary>
    public bool IsGone => Status == (int)HttpStatusCode.Gone;
}
