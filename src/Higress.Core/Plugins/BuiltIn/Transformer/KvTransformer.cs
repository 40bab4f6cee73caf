using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Primitives;

namespace Higress.Core.Plugins.BuiltIn.Transformer;

/// <summary>What a <c>map</c> may read: the request's (or response's) headers, query parameters and body.</summary>
internal sealed class TransformSources
{
    public IKvStore? Headers { get; init; }

    public IKvStore? Querys { get; init; }

    /// <summary>A form body (urlencoded or multipart), or null.</summary>
    public IKvStore? FormBody { get; set; }

    /// <summary>A JSON body, or null.</summary>
    public JsonNode? JsonBody { get; set; }

    public bool HasJsonBody { get; set; }

    /// <summary>Reads <paramref name="item"/>'s fromKey in <paramref name="source"/>: kv values, or a JSON node.</summary>
    public bool TryRead(TransformTarget source, TransformItem item, out StringValues values, out JsonNode? json, out bool isJson)
    {
        values = default;
        json = null;
        isJson = false;
        var store = source switch
        {
            TransformTarget.Headers => Headers,
            TransformTarget.Querys => Querys,
            _ => FormBody,
        };
        if (store is not null)
        {
            return store.TryGet(item.Key, out values);
        }

        if (source == TransformTarget.Body && HasJsonBody && item.KeyPath is { } path && path.TryGet(JsonBody, out json))
        {
            isJson = true;
            return true;
        }

        return false;
    }

    /// <summary>A JSON value as gjson's <c>String()</c> gives it: a string's text, "" for null, the JSON text otherwise.</summary>
    public static string Text(JsonNode? node) => node switch
    {
        null => string.Empty,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => node.ToJsonString(),
    };
}

/// <summary>Runs steps over headers, query parameters or form fields, as Higress's kv handler does.</summary>
internal static class KvTransformer
{
    public static void Apply(TransformStep[] steps, IKvStore kvs, TransformSources sources, TransformTarget self, string host, string path)
    {
        foreach (var step in steps)
        {
            foreach (var item in step.Items)
            {
                Apply(step, item, kvs, sources, self, host, path);
            }
        }
    }

    private static void Apply(TransformStep step, TransformItem item, IKvStore kvs, TransformSources sources, TransformTarget self, string host, string path)
    {
        switch (step.Operation)
        {
            case TransformOperation.Remove:
                kvs.Remove(item.Key);
                break;
            case TransformOperation.Rename:
                // The old values join any values the new key already has.
                if (kvs.TryGet(item.Key, out var old) && !string.Equals(item.Key, item.NewKey, StringComparison.OrdinalIgnoreCase))
                {
                    kvs.Set(item.NewKey, kvs.TryGet(item.NewKey, out var existing) ? StringValues.Concat(existing, old) : old);
                    kvs.Remove(item.Key);
                }

                break;
            case TransformOperation.Replace:
                kvs.Set(item.Key, item.Value!.Apply(host, path));
                break;
            case TransformOperation.Add:
                if (!kvs.TryGet(item.Key, out _))
                {
                    kvs.Set(item.Key, item.Value!.Apply(host, path));
                }

                break;
            case TransformOperation.Append:
                var appended = item.Value!.Apply(host, path);
                kvs.Set(item.Key, kvs.TryGet(item.Key, out var current) ? StringValues.Concat(current, appended) : new StringValues(appended));
                break;
            case TransformOperation.Map:
                if (step.MapSource == self)
                {
                    if (kvs.TryGet(item.Key, out var own))
                    {
                        kvs.Set(item.NewKey, own);
                    }
                }
                else if (sources.TryRead(step.MapSource, item, out var mapped, out var json, out var isJson))
                {
                    if (!isJson)
                    {
                        kvs.Set(item.NewKey, mapped);
                    }
                    else if (TransformSources.Text(json) is { Length: > 0 } text)
                    {
                        kvs.Set(item.NewKey, text);
                    }
                }

                break;
            case TransformOperation.Dedupe:
                if (kvs.TryGet(item.Key, out var values))
                {
                    kvs.Set(item.Key, Dedupe(values, item.Strategy));
                }

                break;
        }
    }

    private static StringValues Dedupe(StringValues values, DedupeStrategy strategy)
    {
        switch (strategy)
        {
            case DedupeStrategy.RetainLast:
                return values[values.Count - 1];
            case DedupeStrategy.RetainUnique:
                var unique = new List<string>(values.Count);
                foreach (var value in values)
                {
                    if (!unique.Contains(value ?? string.Empty))
                    {
                        unique.Add(value ?? string.Empty);
                    }
                }

                return new StringValues([.. unique]);
            case DedupeStrategy.SplitAndRetainFirst:
                var first = values[0] ?? string.Empty;
                var comma = first.IndexOf(',', StringComparison.Ordinal);
                return comma < 0 ? first : first[..comma];
            case DedupeStrategy.SplitAndRetainLast:
                var text = values[0] ?? string.Empty;
                return text[(text.LastIndexOf(',') + 1)..];
            default:
                return values[0];
        }
    }
}
