using System.Text.Json.Nodes;

namespace Higress.Core.Plugins.BuiltIn.Transformer;

/// <summary>Runs steps over a JSON body, as Higress's json handler does with gjson/sjson.</summary>
internal static class JsonTransformer
{
    /// <summary>Transforms <paramref name="root"/> (possibly replacing it) and returns the result.</summary>
    public static JsonNode? Apply(TransformStep[] steps, JsonNode? root, TransformSources sources, string host, string path)
    {
        foreach (var step in steps)
        {
            foreach (var item in step.Items)
            {
                root = Apply(step, item, root, sources, host, path);

                // A map from the body itself reads the body as transformed so far.
                sources.JsonBody = root;
            }
        }

        return root;
    }

    private static JsonNode? Apply(TransformStep step, TransformItem item, JsonNode? root, TransformSources sources, string host, string path)
    {
        var key = item.KeyPath!;
        switch (step.Operation)
        {
            case TransformOperation.Remove:
                key.Remove(root);
                return root;
            case TransformOperation.Rename:
                if (!key.TryGet(root, out var old))
                {
                    return root;
                }

                root = item.NewKeyPath!.Set(root, () => old?.DeepClone());
                key.Remove(root);
                return root;
            case TransformOperation.Replace:
                return key.Set(root, () => item.JsonValueFor(host, path));
            case TransformOperation.Add:
                return key.TryGet(root, out _) ? root : key.Set(root, () => item.JsonValueFor(host, path));
            case TransformOperation.Append:
                return Append(key, item.JsonValueFor(host, path), root);
            case TransformOperation.Map:
                if (!sources.TryRead(step.MapSource, item, out var values, out var json, out var isJson))
                {
                    return root;
                }

                // Values from headers or query parameters become an array of strings, as sjson writes a []string.
                return item.NewKeyPath!.Set(root, isJson ? () => json?.DeepClone() : () => ToArray(values));
            case TransformOperation.Dedupe:
                return key.TryGet(root, out var found) && found is JsonArray { Count: > 0 } array && Dedupe(array, item.Strategy) is { } deduped
                    ? key.Set(root, () => deduped)
                    : root;
            default:
                return root;
        }
    }

    private static JsonNode? Append(JsonPath key, JsonNode? value, JsonNode? root)
    {
        if (!key.TryGet(root, out var old))
        {
            return key.Set(root, () => value);
        }

        var array = new JsonArray();
        if (old is JsonArray existing)
        {
            foreach (var element in existing)
            {
                array.Add(element?.DeepClone());
            }
        }
        else
        {
            array.Add(old?.DeepClone());
        }

        array.Add(value);
        return key.Set(root, () => array);
    }

    private static JsonArray ToArray(Microsoft.Extensions.Primitives.StringValues values)
    {
        var array = new JsonArray();
        foreach (var value in values)
        {
            array.Add(JsonValue.Create(value ?? string.Empty));
        }

        return array;
    }

    private static JsonNode? Dedupe(JsonArray values, DedupeStrategy strategy)
    {
        switch (strategy)
        {
            case DedupeStrategy.RetainLast:
                return values[^1]?.DeepClone();
            case DedupeStrategy.RetainUnique:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                var unique = new JsonArray();
                foreach (var value in values)
                {
                    if (seen.Add(TransformSources.Text(value)))
                    {
                        unique.Add(value?.DeepClone());
                    }
                }

                if (unique.Count != 1)
                {
                    return unique;
                }

                var only = unique[0];
                unique.Clear();
                return only;
            case DedupeStrategy.SplitAndRetainFirst:
                var first = TransformSources.Text(values[0]);
                var comma = first.IndexOf(',', StringComparison.Ordinal);
                return JsonValue.Create(comma < 0 ? first : first[..comma]);
            case DedupeStrategy.SplitAndRetainLast:
                var text = TransformSources.Text(values[0]);
                return JsonValue.Create(text[(text.LastIndexOf(',') + 1)..]);
            default:
                return values[0]?.DeepClone();
        }
    }
}
