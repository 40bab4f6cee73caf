using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Higress.Core.Plugins.BuiltIn.Transformer;

/// <summary>
/// The part of gjson/sjson path syntax that Higress's transformer documents: keys separated by <c>.</c>, <c>\.</c> for a
/// dot inside a key, a number that indexes an array (and names a key of an object), <c>#</c> for every element of an
/// array (its length when last, in a read), and <c>-1</c> to append when writing. Parsed once per config.
/// </summary>
internal sealed class JsonPath
{
    private readonly string[] _segments;

    private JsonPath(string text, string[] segments)
    {
        Text = text;
        _segments = segments;
    }

    public string Text { get; }

    /// <summary>Parses <paramref name="text"/>, or says why it is not a path this subset supports.</summary>
    public static JsonPath? Parse(string text, out string? error)
    {
        var segments = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                current.Append(text[++i]);
                continue;
            }

            if (c == '.')
            {
                segments.Add(current.ToString());
                current.Clear();
                continue;
            }

            if (c is '*' or '?' or '|' || (c == '@' && current.Length == 0) || (c == '(' && current.ToString() == "#"))
            {
                error = $"'{text}' uses gjson syntax ('{c}') that the transformer does not support";
                return null;
            }

            current.Append(c);
        }

        segments.Add(current.ToString());
        if (segments.Exists(s => s.Length == 0))
        {
            error = $"'{text}' has an empty key";
            return null;
        }

        error = null;
        return new JsonPath(text, [.. segments]);
    }

    /// <summary>Reads the value at the path; a JSON null counts as present (as in gjson).</summary>
    public bool TryGet(JsonNode? root, out JsonNode? value) => TryGet(root, 0, out value);

    private bool TryGet(JsonNode? current, int index, out JsonNode? value)
    {
        if (index == _segments.Length)
        {
            value = current;
            return true;
        }

        var segment = _segments[index];
        value = null;
        switch (current)
        {
            case JsonArray array when segment == "#":
                if (index == _segments.Length - 1)
                {
                    value = JsonValue.Create(array.Count);
                    return true;
                }

                var results = new JsonArray();
                foreach (var element in array)
                {
                    if (TryGet(element, index + 1, out var found))
                    {
                        results.Add(found?.DeepClone());
                    }
                }

                value = results;
                return true;
            case JsonArray array when TryIndex(segment, out var i) && i < array.Count:
                return TryGet(array[i], index + 1, out value);
            case JsonObject obj when obj.TryGetPropertyValue(segment, out var child):
                return TryGet(child, index + 1, out value);
            default:
                return false;
        }
    }

    /// <summary>Writes <paramref name="value"/> at the path, creating objects and arrays on the way; returns the new root.</summary>
    public JsonNode? Set(JsonNode? root, Func<JsonNode?> value) => SetAt(root, 0, value);

    private JsonNode? SetAt(JsonNode? current, int index, Func<JsonNode?> value)
    {
        if (index == _segments.Length)
        {
            return value();
        }

        var segment = _segments[index];
        if (segment == "#")
        {
            if (current is JsonArray each)
            {
                for (var i = 0; i < each.Count; i++)
                {
                    Replace(each, i, SetAt(each[i], index + 1, value));
                }
            }

            return current;
        }

        var isIndex = segment == "-1" || TryIndex(segment, out _);
        if (current is not JsonObject && current is not JsonArray)
        {
            current = isIndex ? new JsonArray() : new JsonObject();
        }

        if (current is JsonObject obj)
        {
            obj.TryGetPropertyValue(segment, out var child);
            var updated = SetAt(child, index + 1, value);
            if (!obj.ContainsKey(segment) || !ReferenceEquals(child, updated))
            {
                obj[segment] = updated;
            }

            return obj;
        }

        var array = (JsonArray)current;
        if (segment == "-1" || !TryIndex(segment, out var position))
        {
            // sjson appends for -1; a non-number on an array has nowhere to go.
            if (segment == "-1")
            {
                array.Add(SetAt(null, index + 1, value));
            }

            return array;
        }

        while (array.Count <= position)
        {
            array.Add(null);
        }

        Replace(array, position, SetAt(array[position], index + 1, value));
        return array;
    }

    private static void Replace(JsonArray array, int index, JsonNode? updated)
    {
        if (!ReferenceEquals(array[index], updated))
        {
            array[index] = updated;
        }
    }

    /// <summary>Removes the value at the path; nothing happens when it is absent.</summary>
    public void Remove(JsonNode? root) => RemoveAt(root, 0);

    private void RemoveAt(JsonNode? current, int index)
    {
        var segment = _segments[index];
        var last = index == _segments.Length - 1;
        switch (current)
        {
            case JsonArray array when segment == "#":
                if (last)
                {
                    array.Clear();
                    return;
                }

                foreach (var element in array)
                {
                    RemoveAt(element, index + 1);
                }

                return;
            case JsonArray array when TryIndex(segment, out var i) && i < array.Count:
                if (last)
                {
                    array.RemoveAt(i);
                }
                else
                {
                    RemoveAt(array[i], index + 1);
                }

                return;
            case JsonObject obj when obj.TryGetPropertyValue(segment, out var child):
                if (last)
                {
                    obj.Remove(segment);
                }
                else
                {
                    RemoveAt(child, index + 1);
                }

                return;
        }
    }

    private static bool TryIndex(string segment, out int index) =>
        int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out index);

    public override string ToString() => Text;
}
