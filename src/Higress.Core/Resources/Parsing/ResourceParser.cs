using System.Text.Json;
using System.Text.Json.Nodes;

namespace Higress.Core.Resources.Parsing;

/// <summary>
/// Reads Kubernetes-shaped objects from YAML (multi-document) or JSON (an object, an array of objects, or a
/// <c>List</c> with <c>items</c>). A document with errors is dropped with its diagnostics; the others load.
/// Unknown kinds are ignored with a warning.
/// </summary>
internal static class ResourceParser
{
    private static readonly JsonDocumentOptions JsonOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        AllowDuplicateProperties = false,
        MaxDepth = ParseLimits.MaxDepth,
    };

    private static readonly HashSet<string> TopLevelSkipped = new(StringComparer.Ordinal) { "apiVersion", "kind", "status" };

    /// <summary>Parses <paramref name="text"/>: JSON when it starts with <c>{</c> or <c>[</c>, YAML otherwise.</summary>
    /// <param name="text">The file's text.</param>
    /// <param name="origin">The source and file; each object gets its document index and a fresh read order.</param>
    public static ParseResult Parse(string text, ResourceOrigin origin)
    {
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
        {
            try
            {
                // Duplicate keys are refused here rather than when the lazily built object is first read.
                var node = JsonNode.Parse(text, documentOptions: JsonOptions);
                return ParseNodes([node], origin);
            }
            catch (JsonException ex)
            {
                return new ParseResult([], [SyntaxDiagnostic(JsonErrors.Describe(ex, text), "JSON", origin.FilePath ?? origin.SourceName)]);
            }
        }

        var documents = YamlDocuments.Parse(text);
        var resources = new List<Resource>();
        var diagnostics = new List<ConfigDiagnostic>();
        var index = 0;
        foreach (var document in documents)
        {
            if (document.Error is not null)
            {
                diagnostics.Add(SyntaxDiagnostic(document.Error, "YAML", origin.ForDocument(index++).Display));
                continue;
            }

            foreach (var item in Expand(document.Json))
            {
                var resource = ParseDocument(item, origin.ForDocument(index++), stringScalars: false, diagnostics);
                if (resource is not null)
                {
                    resources.Add(resource);
                }
            }
        }

        return new ParseResult(resources, diagnostics);
    }

    /// <summary>
    /// Binds already-parsed JSON documents. Arrays and <c>List</c> objects are expanded into their items.
    /// </summary>
    /// <param name="documents">The documents.</param>
    /// <param name="origin">The source and file.</param>
    /// <param name="stringScalars">Accept numbers and booleans written as strings (<c>"80"</c>, <c>"true"</c>), as configuration providers store every value as a string.</param>
    public static ParseResult ParseNodes(IEnumerable<JsonNode?> documents, ResourceOrigin origin, bool stringScalars = false)
    {
        var resources = new List<Resource>();
        var diagnostics = new List<ConfigDiagnostic>();
        var index = 0;
        foreach (var item in documents.SelectMany(Expand))
        {
            var resource = ParseDocument(item, origin.ForDocument(index++), stringScalars, diagnostics);
            if (resource is not null)
            {
                resources.Add(resource);
            }
        }

        return new ParseResult(resources, diagnostics);
    }

    private static ConfigDiagnostic SyntaxDiagnostic(SyntaxError error, string format, string where) =>
        new(DiagnosticSeverity.Error, where, string.Empty, error.Describe(format), $"{error.Fix}; this {(format == "JSON" ? "file" : "document")} was skipped", where);

    private static IEnumerable<JsonNode?> Expand(JsonNode? node)
    {
        if (node is JsonArray array)
        {
            return array.SelectMany(Expand);
        }

        if (node is JsonObject obj && obj["kind"] is JsonValue kind && kind.GetValueKind() == JsonValueKind.String
            && kind.GetValue<string>().EndsWith("List", StringComparison.Ordinal) && obj["items"] is JsonArray items)
        {
            return items.SelectMany(Expand);
        }

        return [node];
    }

    private static Resource? ParseDocument(JsonNode? node, ResourceOrigin origin, bool stringScalars, List<ConfigDiagnostic> diagnostics)
    {
        var where = origin.Display;
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject obj)
        {
            diagnostics.Add(new(DiagnosticSeverity.Error, where, string.Empty, $"expected an object with apiVersion, kind and metadata, got {JsonBinder.Describe(node)}", "write a Kubernetes-style object", where));
            return null;
        }

        var apiVersion = Text(obj["apiVersion"]);
        var kind = Text(obj["kind"]);
        var name = Text((obj["metadata"] as JsonObject)?["name"]);
        var ns = Text((obj["metadata"] as JsonObject)?["namespace"]);
        if (string.IsNullOrEmpty(apiVersion) || string.IsNullOrEmpty(kind))
        {
            var missing = string.IsNullOrEmpty(kind) ? "kind" : "apiVersion";
            diagnostics.Add(new(DiagnosticSeverity.Error, where, missing, $"'{missing}' is missing", "every object needs apiVersion and kind, e.g. apiVersion: networking.higress.io/v1alpha1, kind: Route", where));
            return null;
        }

        var type = ResourceTypes.Find(apiVersion, kind, out var versions);
        var display = string.IsNullOrEmpty(name) ? where : $"{kind} {(string.IsNullOrEmpty(ns) ? ResourceMetadata.DefaultNamespace : ns)}/{name}";
        if (type is null)
        {
            var group = ResourceKinds.GroupOf(apiVersion);
            if (versions.Length > 0)
            {
                diagnostics.Add(new(DiagnosticSeverity.Error, display, "apiVersion", $"{apiVersion} is not a supported version of {kind}",
                    $"use {string.Join(" or ", versions.Select(v => group.Length == 0 ? v : $"{group}/{v}"))}", where));
            }
            else
            {
                diagnostics.Add(new(DiagnosticSeverity.Warning, display, "kind", $"{apiVersion} {kind} is not a kind Higress.Net reads; ignored", null, where));
            }

            return null;
        }

        var context = new BindContext(display, where, stringScalars);
        var resource = (Resource)new JsonBinder(context).BindRecord(obj, type, string.Empty, TopLevelSkipped)!;
        if (obj["metadata"] is null)
        {
            context.Error("metadata.name", "'metadata.name' is required", "add metadata: {name: ...}");
        }

        diagnostics.AddRange(context.Diagnostics);
        if (context.HasErrors)
        {
            return null;
        }

        var metadata = resource.Metadata;
        if (!resource.IsNamespaced)
        {
            metadata = metadata with { Namespace = string.Empty };
        }
        else if (metadata.Namespace.Length == 0)
        {
            metadata = metadata with { Namespace = ResourceMetadata.DefaultNamespace };
        }

        return resource with { ApiVersion = apiVersion, Metadata = metadata, Origin = origin };
    }

    private static string? Text(JsonNode? node) => node is JsonValue v ? JsonBinder.ScalarText(v) : null;
}
