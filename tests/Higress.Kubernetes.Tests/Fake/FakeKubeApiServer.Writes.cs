using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Higress.Kubernetes.Tests.Fake;

/// <summary>
/// The fake's writes: PATCH of an object's <c>/status</c> subresource (<c>application/merge-patch+json</c> and
/// <c>application/json-patch+json</c>), which changes only <c>status</c>, bumps resourceVersion and emits MODIFIED as
/// the real server does; and coordination.k8s.io/v1 Leases (GET, POST, PUT), where a PUT with a stale resourceVersion
/// and a POST of an existing Lease answer 409 Conflict. Every status patch is recorded with the User-Agent that sent it,
/// so that tests can count writes and writers.
/// </summary>
internal sealed partial class FakeKubeApiServer
{
    private const string Leases = "apis/coordination.k8s.io/v1/leases";
    private readonly List<(string Path, string UserAgent)> _statusPatches = [];

    /// <summary>Status patches served so far: the object's path and the writer's User-Agent.</summary>
    public IReadOnlyList<(string Path, string UserAgent)> StatusPatches
    {
        get
        {
            lock (_statusPatches)
            {
                return [.. _statusPatches];
            }
        }
    }

    /// <summary>While true, status patches answer 500 (an API server in trouble); they are still counted.</summary>
    public bool FailStatusPatches { get; set; }

    /// <summary>A stored object's status, or null.</summary>
    public JsonObject? StatusOf(string resource, string key) => Store.Get(resource, key)?["status"] as JsonObject;

    /// <summary>The Lease <paramref name="ns"/>/<paramref name="name"/>, or null.</summary>
    public JsonObject? Lease(string ns, string name) => Store.Get(Leases, $"{ns}/{name}");

    /// <summary>Handles a status patch or a Lease request; false for anything else (lists and watches).</summary>
    private async Task<bool> TryWriteAsync(HttpContext context)
    {
        var parts = (context.Request.Path.Value ?? string.Empty).Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
        var method = context.Request.Method;
        if (method == HttpMethods.Patch && parts is [.. var head, "namespaces", var ns, var plural, var name, "status"] && head.Length is 2 or 3)
        {
            await PatchStatusAsync(context, $"{string.Join('/', head)}/{plural}", $"{ns}/{name}");
            return true;
        }

        if (parts is ["apis", "coordination.k8s.io", "v1", "namespaces", var leaseNs, "leases", .. var rest] && rest.Length <= 1)
        {
            await LeaseAsync(context, leaseNs, rest.Length == 1 ? rest[0] : null);
            return true;
        }

        return false;
    }

    private async Task PatchStatusAsync(HttpContext context, string resource, string key)
    {
        var body = JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync());
        var type = context.Request.ContentType ?? string.Empty;
        lock (_statusPatches)
        {
            _statusPatches.Add(($"{resource}/{key}", context.Request.Headers.UserAgent.ToString()));
        }

        if (FailStatusPatches)
        {
            await WriteStatus(context, 500, "InternalError", "the fake fails status patches on purpose");
            return;
        }

        Func<JsonObject, JsonObject>? apply = type.StartsWith("application/merge-patch+json", StringComparison.Ordinal)
            ? status => (JsonObject)MergePatch(status, (body as JsonObject)?["status"])!
            : type.StartsWith("application/json-patch+json", StringComparison.Ordinal) && body is JsonArray operations
                ? status => JsonPatch(status, operations)
                : null;
        if (apply is null)
        {
            await WriteStatus(context, 415, "UnsupportedMediaType", $"the patch type {type} is not supported");
            return;
        }

        var updated = Store.IsServed(resource) ? Store.PatchStatus(resource, key, apply) : null;
        if (updated is null)
        {
            await WriteStatus(context, 404, "NotFound", $"{resource} {key} not found");
            return;
        }

        await WriteJson(context, 200, updated);
    }

    private async Task LeaseAsync(HttpContext context, string ns, string? name)
    {
        var method = context.Request.Method;
        if (method == HttpMethods.Get && name is not null)
        {
            var lease = Lease(ns, name);
            await (lease is null ? WriteStatus(context, 404, "NotFound", $"leases.coordination.k8s.io \"{name}\" not found") : WriteJson(context, 200, lease));
            return;
        }

        var item = JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync()) as JsonObject ?? [];
        item["apiVersion"] = "coordination.k8s.io/v1";
        item["kind"] = "Lease";
        if (item["metadata"] is JsonObject metadata)
        {
            metadata["namespace"] = ns;
        }

        var stored = method == HttpMethods.Post ? Store.Create(Leases, item) : method == HttpMethods.Put ? Store.Replace(Leases, item) : null;
        await (stored is null
            ? WriteStatus(context, 409, "Conflict", "the object has been modified or already exists; please apply your changes to the latest version and try again")
            : WriteJson(context, method == HttpMethods.Post ? 201 : 200, stored));
    }

    /// <summary>RFC 7386: objects merge member by member, null deletes, anything else replaces.</summary>
    private static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject is { } o ? (JsonObject)o.DeepClone() : [];
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                result[name] = MergePatch(result[name], value);
            }
        }

        return result;
    }

    /// <summary>RFC 6902 add, replace and remove under <c>/status</c> (what a status writer sends).</summary>
    private static JsonObject JsonPatch(JsonObject status, JsonArray operations)
    {
        var root = new JsonObject { ["status"] = status.DeepClone() };
        foreach (var operation in operations.OfType<JsonObject>())
        {
            var path = ((string?)operation["path"] ?? string.Empty).Split('/')[1..].Select(p => p.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
            JsonNode parent = root;
            foreach (var step in path[..^1])
            {
                parent = parent is JsonArray array ? array[int.Parse(step, System.Globalization.CultureInfo.InvariantCulture)]! : parent[step]!;
            }

            var last = path[^1];
            var value = operation["value"]?.DeepClone();
            switch ((string?)operation["op"], parent)
            {
                case ("remove", JsonArray array):
                    array.RemoveAt(int.Parse(last, System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case ("remove", JsonObject obj):
                    obj.Remove(last);
                    break;
                case ("add", JsonArray array) when last == "-":
                    array.Add(value);
                    break;
                case ("add", JsonArray array):
                    array.Insert(int.Parse(last, System.Globalization.CultureInfo.InvariantCulture), value);
                    break;
                case ("replace", JsonArray array):
                    array[int.Parse(last, System.Globalization.CultureInfo.InvariantCulture)] = value;
                    break;
                case ("add" or "replace", JsonObject obj):
                    obj[last] = value;
                    break;
            }
        }

        var result = root["status"] as JsonObject ?? [];
        root.Remove("status");
        return result;
    }

    private static async Task WriteJson(HttpContext context, int code, JsonObject item)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(item.ToJsonString());
    }
}
