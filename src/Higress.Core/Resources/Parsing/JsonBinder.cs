using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Higress.Core.Resources.Parsing;

/// <summary>
/// Binds JSON onto the model records, walking the JSON and the record type together. Unknown fields are
/// warnings; wrong types, invalid values and missing required fields are errors. Every problem is reported;
/// nothing short-circuits. Absent fields keep the record's initialiser, which is how defaults apply.
/// </summary>
internal sealed class JsonBinder(BindContext context)
{
    private static readonly object Failed = new();

    public object? BindRecord(JsonObject json, Type type, string path, ISet<string>? skip = null)
    {
        var instance = Activator.CreateInstance(type)!;
        var errorsBefore = context.ErrorCount;
        var model = TypeModel.For(type, context.Naming);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, value) in json)
        {
            var fieldPath = Join(path, name);
            if (model.Fields.TryGetValue(name, out var field))
            {
                if (value is null)
                {
                    continue;
                }

                seen.Add(name);
                var bound = BindValue(value, field.Property.PropertyType, fieldPath, field);
                if (bound != Failed)
                {
                    FieldChecks.Check(field, bound, fieldPath, context);
                    field.Property.SetValue(instance, bound);
                }
            }
            else if (!model.Ignored.Contains(name) && skip?.Contains(name) != true)
            {
                if (context.UnknownFieldsAreErrors)
                {
                    context.Error(fieldPath, $"unknown field '{name}'", FieldSuggestions.Suggest(name, model.Fields.Keys));
                }
                else
                {
                    context.Warning(fieldPath, $"unknown field '{name}' (ignored)", FieldSuggestions.Suggest(name, model.Fields.Keys));
                }
            }
        }

        foreach (var field in model.Fields.Values.Where(f => f.Required && !seen.Contains(f.JsonName)))
        {
            context.Error(Join(path, field.JsonName), $"'{field.JsonName}' is required", $"set {Join(path, field.JsonName)}");
        }

        // Cross-field checks only make sense once each field is valid on its own; this avoids cascading errors.
        if (context.ErrorCount == errorsBefore)
        {
            SemanticValidator.Validate(instance, path, context);
        }

        return instance;
    }

    private object? BindValue(JsonNode node, Type type, string path, FieldModel? field)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (field?.PortSelector == true && node is JsonObject selector)
        {
            if (selector["number"] is not { } number)
            {
                context.Error(path, "a port object needs 'number'", "write port: 80 or port: {number: 80}");
                return Failed;
            }

            node = number;
        }

        if (target == typeof(string))
        {
            return node is JsonValue v && ScalarText(v) is { } text ? text : Mismatch(node, path, "a string", "quote the value");
        }

        if (target == typeof(int) || target == typeof(long) || target == typeof(double))
        {
            return BindNumber(node, target, path);
        }

        if (target == typeof(bool))
        {
            if (node is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
            {
                return b.GetValueKind() == JsonValueKind.True;
            }

            if (context.StringScalars && node is JsonValue s && s.GetValueKind() == JsonValueKind.String && bool.TryParse(s.GetValue<string>(), out var parsed))
            {
                return parsed;
            }

            return Mismatch(node, path, "true or false", "write true or false");
        }

        if (target == typeof(TimeSpan))
        {
            if (node is JsonValue d && d.GetValueKind() == JsonValueKind.String)
            {
                var text = d.GetValue<string>();
                if (DurationParser.TryParse(text, out var duration))
                {
                    return duration;
                }

                context.Error(path, $"'{text}' is not a duration", DurationParser.Fix);
                return Failed;
            }

            return Mismatch(node, path, "a duration", DurationParser.Fix);
        }

        if (target == typeof(DateTimeOffset))
        {
            if (node is JsonValue t && ScalarText(t) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            {
                return time;
            }

            return Mismatch(node, path, "a timestamp", "write an RFC 3339 time such as 2024-01-02T03:04:05Z");
        }

        if (target.IsEnum)
        {
            return BindEnum(node, target, path);
        }

        if (target == typeof(IntOrString))
        {
            if (node is JsonValue iv && ScalarText(iv) is { } text)
            {
                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? new IntOrString(n, null) : new IntOrString(null, text);
            }

            return Mismatch(node, path, "a number or a name", "write a port number or a port name");
        }

        if (target == typeof(EquatableJson))
        {
            return EquatableJson.FromNode(node);
        }

        if (target.IsGenericType && target.GetGenericTypeDefinition() == typeof(EquatableArray<>))
        {
            return BindArray(node, target.GetGenericArguments()[0], path);
        }

        if (target.IsGenericType && target.GetGenericTypeDefinition() == typeof(EquatableMap<>))
        {
            return BindMap(node, target.GetGenericArguments()[0], path);
        }

        if (TypeModel.IsRecord(target))
        {
            if (node is JsonObject obj)
            {
                return BindRecord(obj, target, path);
            }

            if (StandsForEmpty(node))
            {
                return Activator.CreateInstance(target);
            }

            return Mismatch(node, path, "an object", "write a mapping of fields");
        }

        throw new NotSupportedException($"The binder cannot bind {target}.");
    }

    private object? BindNumber(JsonNode node, Type target, string path)
    {
        string? text = null;
        if (node is JsonValue v)
        {
            var kind = v.GetValueKind();
            if (kind == JsonValueKind.Number || (kind == JsonValueKind.String && context.StringScalars))
            {
                text = ScalarText(v);
            }
        }

        if (text is null)
        {
            return Mismatch(node, path, "a number", target == typeof(double) ? "write a number such as 5.0" : "write a whole number such as 8080");
        }

        if (target == typeof(double))
        {
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            {
                return d;
            }
        }
        else if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            if (target == typeof(long))
            {
                return l;
            }

            if (l is >= int.MinValue and <= int.MaxValue)
            {
                return (int)l;
            }
        }

        context.Error(path, $"'{text}' is not a valid {(target == typeof(double) ? "number" : "whole number")}", "write a whole number such as 8080");
        return Failed;
    }

    private object? BindEnum(JsonNode node, Type target, string path)
    {
        var names = EnumNames(target);
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            var text = v.GetValue<string>();
            foreach (var (wire, value) in names)
            {
                if (wire == text)
                {
                    return value;
                }
            }

            var close = names.FirstOrDefault(n => string.Equals(n.Wire, text, StringComparison.OrdinalIgnoreCase)).Wire;
            var fix = close is null ? $"use one of: {string.Join(", ", names.Select(n => n.Wire))}" : $"write '{close}' (values are case-sensitive)";
            context.Error(path, $"'{text}' is not a valid value", fix);
            return Failed;
        }

        return Mismatch(node, path, "a string", $"use one of: {string.Join(", ", names.Select(n => n.Wire))}");
    }

    private object? BindArray(JsonNode node, Type elementType, string path)
    {
        var array = node as JsonArray ?? (StandsForEmpty(node) ? [] : null);
        if (array is null)
        {
            return Mismatch(node, path, "a list", "write a list ([a, b] or one '- item' per line)");
        }

        var items = new List<object?>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            if (array[i] is null)
            {
                context.Error(itemPath, "a list item is empty", "remove the empty item");
                continue;
            }

            var item = BindValue(array[i]!, elementType, itemPath, null);
            if (item != Failed)
            {
                items.Add(item);
            }
        }

        var typed = Array.CreateInstance(elementType, items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            typed.SetValue(items[i], i);
        }

        return Activator.CreateInstance(typeof(EquatableArray<>).MakeGenericType(elementType), typed);
    }

    private object? BindMap(JsonNode node, Type valueType, string path)
    {
        var obj = node as JsonObject ?? (StandsForEmpty(node) ? [] : null);
        if (obj is null)
        {
            return Mismatch(node, path, "a mapping", "write key: value pairs");
        }

        var pairType = typeof(KeyValuePair<,>).MakeGenericType(typeof(string), valueType);
        var pairs = new List<object>();
        foreach (var (key, value) in obj)
        {
            var entryPath = Join(path, key);
            if (value is null)
            {
                context.Error(entryPath, $"'{key}' has no value", "give it a value or remove it");
                continue;
            }

            var bound = BindValue(value, valueType, entryPath, null);
            if (bound != Failed)
            {
                pairs.Add(Activator.CreateInstance(pairType, key, bound)!);
            }
        }

        var typed = Array.CreateInstance(pairType, pairs.Count);
        for (var i = 0; i < pairs.Count; i++)
        {
            typed.SetValue(pairs[i], i);
        }

        return Activator.CreateInstance(typeof(EquatableMap<>).MakeGenericType(valueType), typed);
    }

    private object Mismatch(JsonNode node, string path, string expected, string fix)
    {
        context.Error(path, $"expected {expected}, got {Describe(node)}", fix);
        return Failed;
    }

    internal static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "a mapping",
        JsonArray => "a list",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => $"'{v.GetValue<string>()}'",
        _ => node.ToJsonString(),
    };

    /// <summary>The text of a scalar: strings as they are, numbers and booleans as written (YAML plain scalars).</summary>
    internal static string? ScalarText(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.ToJsonString(),
        _ => null,
    };

    // Configuration keys cannot hold an empty list or mapping: from such a source an empty string stands for one.
    private bool StandsForEmpty(JsonNode node) => context.StringScalars && IsEmptyString(node);

    private static bool IsEmptyString(JsonNode node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length == 0;

    internal static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    // Reflection over an enum's fields is costly and the answer never changes: compute it once per type.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, List<(string Wire, object Value)>> s_enumNames = new();

    private static List<(string Wire, object Value)> EnumNames(Type type) =>
        s_enumNames.GetOrAdd(type, static t => t.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name, f.GetValue(null)!))
            .ToList());

    internal static string EnumWireName(Enum value) =>
        value.GetType().GetField(value.ToString())?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? value.ToString();
}
