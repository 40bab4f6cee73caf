using System.Text.Json.Nodes;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;

namespace Higress.Kubernetes.Watching;

/// <summary>
/// One object as the plan sees it: its JSON without the metadata the plan does not use, and what the parser made of
/// it. Two versions of an object that differ only in <c>resourceVersion</c>, <c>managedFields</c>, <c>status</c> (the
/// gateway's own status writes included) or kubectl's last-applied annotation have the same <see cref="Normalized"/>
/// text, so such an event changes nothing downstream. <see cref="Status"/>, <see cref="Generation"/> and
/// <see cref="ResourceVersion"/> are kept beside it for the status writer, which compares what it would write with
/// what the object holds.
/// </summary>
internal sealed record WatchedObject(string Key, string Normalized, IReadOnlyList<Resource> Resources, IReadOnlyList<ConfigDiagnostic> Diagnostics)
{
    private const string LastApplied = "kubectl.kubernetes.io/last-applied-configuration";

    /// <summary>The object's <c>status</c> as JSON text, or null when it has none.</summary>
    public string? Status { get; init; }

    /// <summary>The object's <c>metadata.generation</c> (0 when absent).</summary>
    public long Generation { get; init; }

    /// <summary>The object's <c>metadata.resourceVersion</c>.</summary>
    public string? ResourceVersion { get; init; }

    /// <summary>Normalizes and parses one object of <paramref name="kind"/> as listed or watched.</summary>
    public static WatchedObject From(JsonObject item, WatchedKind kind)
    {
        // A list's items carry no apiVersion and kind; watch events do. The canonical order keeps the text comparable.
        var copy = new JsonObject { ["apiVersion"] = kind.ApiVersion, ["kind"] = kind.Kind };
        foreach (var (name, value) in item)
        {
            if (name is not ("apiVersion" or "kind" or "status"))
            {
                copy[name] = value?.DeepClone();
            }
        }

        var metadata = copy["metadata"] as JsonObject ?? [];
        copy["metadata"] = metadata;
        metadata.Remove("resourceVersion");
        metadata.Remove("managedFields");
        metadata.Remove("selfLink");
        if (metadata["annotations"] is JsonObject annotations)
        {
            annotations.Remove(LastApplied);
            if (annotations.Count == 0)
            {
                metadata.Remove("annotations");
            }
        }

        var key = KeyOf(item);
        var normalized = copy.ToJsonString();
        var parsed = ResourceParser.ParseNodes([copy], new ResourceOrigin("kubernetes", $"{kind.Plural}/{key}", 0, 0));
        return new WatchedObject(key, normalized, parsed.Resources, parsed.Diagnostics)
        {
            Status = item["status"] is JsonObject status ? status.ToJsonString() : null,
            Generation = (item["metadata"] as JsonObject)?["generation"] is JsonValue generation && generation.TryGetValue<long>(out var number) ? number : 0,
            ResourceVersion = ResourceVersionOf(item),
        };
    }

    /// <summary><c>namespace/name</c>, or <c>name</c> for a cluster-scoped object.</summary>
    public static string KeyOf(JsonObject item)
    {
        var metadata = item["metadata"] as JsonObject;
        var name = (string?)metadata?["name"] ?? string.Empty;
        return metadata?["namespace"] is JsonValue ns && (string?)ns is { Length: > 0 } text ? $"{text}/{name}" : name;
    }

    /// <summary>The object's <c>metadata.resourceVersion</c>, or null.</summary>
    public static string? ResourceVersionOf(JsonObject? item) => (string?)(item?["metadata"] as JsonObject)?["resourceVersion"];
}
