using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Higress.Core.Plugins.BuiltIn.Transformer;

/// <summary>One side's compiled steps (request or response), grouped by what they transform, each in the order written.</summary>
internal sealed class TransformSide(TransformStep[] headers, TransformStep[] querys, TransformStep[] body)
{
    public TransformStep[] Headers { get; } = headers;

    public TransformStep[] Querys { get; } = querys;

    public TransformStep[] Body { get; } = body;

    /// <summary>True when a step needs the body: it transforms the body, or a header or query map reads from it.</summary>
    public bool ReadsBody { get; } = body.Length > 0 || MapsFrom(headers, TransformTarget.Body) || MapsFrom(querys, TransformTarget.Body);

    /// <summary>True when a step needs the query parameters.</summary>
    public bool ReadsQuerys { get; } = querys.Length > 0 || MapsFrom(headers, TransformTarget.Querys) || MapsFrom(body, TransformTarget.Querys);

    /// <summary>True when a value is filled from the host or path.</summary>
    public bool UsesPatterns { get; } = UsesPattern(headers) || UsesPattern(querys) || UsesPattern(body);

    private static bool MapsFrom(TransformStep[] steps, TransformTarget source) =>
        Array.Exists(steps, s => s.Operation == TransformOperation.Map && s.MapSource == source);

    private static bool UsesPattern(TransformStep[] steps) => Array.Exists(steps, s => Array.Exists(s.Items, i => i.Value?.IsPattern == true));
}

/// <summary>
/// The transformer config compiled once per plan: every operation, key, strategy, value type and pattern checked and
/// parsed, so that a request only runs steps. Every problem is reported with its field path and fix.
/// </summary>
internal sealed class TransformProgram
{
    private const string Operations = "remove, rename, replace, add, append, map, dedupe";
    private const string Strategies = "RETAIN_FIRST, RETAIN_LAST, RETAIN_UNIQUE, SPLIT_AND_RETAIN_FIRST, SPLIT_AND_RETAIN_LAST";

    private TransformProgram(TransformSide? request, TransformSide? response)
    {
        Request = request;
        Response = response;
    }

    public TransformSide? Request { get; }

    public TransformSide? Response { get; }

    public static TransformProgram Compile(TransformerConfig config, PluginConfigContext context)
    {
        var request = CompileSide(config.ReqRules.AsSpan(), "reqRules", isResponse: false, context);
        var response = CompileSide(config.RespRules.AsSpan(), "respRules", isResponse: true, context);
        return new TransformProgram(request, response);
    }

    private static TransformSide? CompileSide(ReadOnlySpan<TransformRule> rules, string field, bool isResponse, PluginConfigContext context)
    {
        if (rules.IsEmpty)
        {
            return null;
        }

        var headers = new List<TransformStep>();
        var querys = new List<TransformStep>();
        var body = new List<TransformStep>();
        for (var i = 0; i < rules.Length; i++)
        {
            var rule = rules[i];
            var path = $"{field}[{i}]";
            if (!TryOperation(rule.Operate, out var operation))
            {
                context.AddError($"{path}.operate", $"'{rule.Operate}' is not an operation", $"use one of: {Operations}");
                continue;
            }

            var mapSource = MapSourceOf(rule, operation, path, isResponse, context);
            if (isResponse && !rule.Querys.IsEmpty)
            {
                context.AddError($"{path}.querys", "a response has no query parameters", "move the items to reqRules, or remove them");
            }

            AddStep(headers, operation, mapSource ?? TransformTarget.Headers, CompileItems(rule.Headers.AsSpan(), operation, TransformTarget.Headers, mapSource, $"{path}.headers", context));
            AddStep(querys, operation, mapSource ?? TransformTarget.Querys, CompileItems(rule.Querys.AsSpan(), operation, TransformTarget.Querys, mapSource, $"{path}.querys", context));
            AddStep(body, operation, mapSource ?? TransformTarget.Body, CompileItems(rule.Body.AsSpan(), operation, TransformTarget.Body, mapSource, $"{path}.body", context));
        }

        return new TransformSide([.. headers], [.. querys], [.. body]);
    }

    private static void AddStep(List<TransformStep> steps, TransformOperation operation, TransformTarget mapSource, List<TransformItem> items)
    {
        if (items.Count > 0)
        {
            steps.Add(new TransformStep(operation, mapSource, [.. items]));
        }
    }

    private static bool TryOperation(string text, out TransformOperation operation)
    {
        // Higress lowercases operate before it compares.
        operation = default;
        return text.Length > 0 && text.All(char.IsAsciiLetter) && Enum.TryParse(text, ignoreCase: true, out operation);
    }

    // null: map reads the object it writes (Higress's "self").
    private static TransformTarget? MapSourceOf(TransformRule rule, TransformOperation operation, string path, bool isResponse, PluginConfigContext context)
    {
        if (rule.MapSource is null)
        {
            return null;
        }

        if (operation != TransformOperation.Map)
        {
            context.AddError($"{path}.mapSource", $"only map reads mapSource, not {rule.Operate}", "remove mapSource, or set operate: map");
            return null;
        }

        TransformTarget? source = rule.MapSource switch
        {
            "headers" => TransformTarget.Headers,
            "querys" when !isResponse => TransformTarget.Querys,
            "body" => TransformTarget.Body,
            _ => null,
        };
        if (source is null)
        {
            context.AddError($"{path}.mapSource", $"'{rule.MapSource}' is not a map source{(isResponse ? " of a response" : string.Empty)}", isResponse ? "use headers or body" : "use headers, querys or body");
        }

        return source;
    }

    private static List<TransformItem> CompileItems(ReadOnlySpan<TransformParam> items, TransformOperation operation, TransformTarget target, TransformTarget? mapSource, string path, PluginConfigContext context)
    {
        var compiled = new List<TransformItem>(items.Length);
        for (var i = 0; i < items.Length; i++)
        {
            if (CompileItem(items[i], operation, target, mapSource ?? target, $"{path}[{i}]", context) is { } item)
            {
                compiled.Add(item);
            }
        }

        return compiled;
    }

    private static TransformItem? CompileItem(TransformParam p, TransformOperation operation, TransformTarget target, TransformTarget mapSource, string path, PluginConfigContext context)
    {
        var errors = context.Errors.Count;
        var (keyField, newKeyField, valueField) = FieldsOf(operation);
        CheckFields(p, operation, target, keyField, newKeyField, valueField, path, context);

        var key = Required(FieldValue(p, keyField), keyField, operation, path, context);
        var newKey = newKeyField is null ? string.Empty : Required(FieldValue(p, newKeyField), newKeyField, operation, path, context);
        var rawValue = valueField is null ? null : Required(FieldValue(p, valueField), valueField, operation, path, context);

        var valueType = (p.ValueType ?? "string").ToLowerInvariant();
        if (valueType is not ("object" or "boolean" or "number" or "string"))
        {
            context.AddError($"{path}.value_type", $"'{p.ValueType}' is not a value type", "use one of: object, boolean, number, string");
            valueType = "string";
        }

        ValueTemplate? value = null;
        JsonNode? typed = null;
        if (rawValue is not null)
        {
            value = Template(p, rawValue, path, context);
            if (target == TransformTarget.Body && valueType != "string" && !TryConvert(valueType, rawValue, out typed))
            {
                context.AddError($"{path}.{valueField}", $"'{rawValue}' is not a valid {valueType}", valueType == "object" ? "write JSON text, e.g. '{\"a\":1}'" : $"write a {valueType}, or set value_type: string");
            }
        }

        var keyIsPath = (target == TransformTarget.Body && operation != TransformOperation.Map) || (operation == TransformOperation.Map && mapSource == TransformTarget.Body);
        var keyPath = keyIsPath && key.Length > 0 ? ParsePath(key, $"{path}.{keyField}", context) : null;
        var newKeyPath = target == TransformTarget.Body && newKey.Length > 0 ? ParsePath(newKey, $"{path}.{newKeyField}", context) : null;
        var strategy = StrategyOf(p.Strategy, $"{path}.strategy", context);

        if (context.Errors.Count > errors)
        {
            return null;
        }

        return new TransformItem { Key = key, NewKey = newKey, Value = value, TypedValue = typed, IsTyped = target == TransformTarget.Body && valueType != "string", KeyPath = keyPath, NewKeyPath = newKeyPath, Strategy = strategy };
    }

    private static (string Key, string? NewKey, string? Value) FieldsOf(TransformOperation operation) => operation switch
    {
        TransformOperation.Rename => ("oldKey", "newKey", null),
        TransformOperation.Replace => ("key", null, "newValue"),
        TransformOperation.Add => ("key", null, "value"),
        TransformOperation.Append => ("key", null, "appendValue"),
        TransformOperation.Map => ("fromKey", "toKey", null),
        _ => ("key", null, null),
    };

    private static readonly string[] KeyAndValueFields = ["key", "oldKey", "newKey", "newValue", "value", "appendValue", "fromKey", "toKey"];

    private static string? FieldValue(TransformParam p, string field) => field switch
    {
        "key" => p.Key,
        "oldKey" => p.OldKey,
        "newKey" => p.NewKey,
        "newValue" => p.NewValue,
        "value" => p.Value,
        "appendValue" => p.AppendValue,
        "fromKey" => p.FromKey,
        "toKey" => p.ToKey,
        _ => null,
    };

    // A field the operation does not read is an error: "value" under replace (which reads newValue) would be ignored.
    private static void CheckFields(TransformParam p, TransformOperation operation, TransformTarget target, string keyField, string? newKeyField, string? valueField, string path, PluginConfigContext context)
    {
        var name = operation.ToString().ToLowerInvariant();
        var expected = string.Join(", ", new[] { keyField, newKeyField, valueField }.Where(f => f is not null));
        foreach (var field in KeyAndValueFields)
        {
            if (FieldValue(p, field) is not null && field != keyField && field != newKeyField && field != valueField)
            {
                context.AddError($"{path}.{field}", $"{name} does not read {field}", $"use {expected}");
            }
        }

        if (p.Strategy is not null && operation != TransformOperation.Dedupe)
        {
            context.AddError($"{path}.strategy", $"only dedupe reads strategy, not {name}", "remove strategy");
        }

        if ((p.HostPattern ?? p.PathPattern) is not null && valueField is null || (p.HostPattern ?? p.PathPattern) is not null && operation == TransformOperation.Map)
        {
            context.AddError($"{path}.{(p.HostPattern is not null ? "host_pattern" : "path_pattern")}", $"{name} does not read patterns", "use host_pattern or path_pattern only with replace, add or append");
        }

        if (p.ValueType is not null && target != TransformTarget.Body)
        {
            context.AddError($"{path}.value_type", "value_type applies to body items only", "remove value_type");
        }
    }

    private static string Required(string? value, string field, TransformOperation operation, string path, PluginConfigContext context)
    {
        if (value is null || (value.Length == 0 && field is "key" or "oldKey" or "newKey" or "fromKey" or "toKey"))
        {
            context.AddError($"{path}.{field}", $"{operation.ToString().ToLowerInvariant()} needs {field}", field.EndsWith("Key", StringComparison.Ordinal) || field == "key" ? $"set {field} to a name" : $"set {field} (\"\" for an empty value)");
            return string.Empty;
        }

        return value;
    }

    private static ValueTemplate? Template(TransformParam p, string value, string path, PluginConfigContext context)
    {
        // As in Higress, host_pattern wins when both are set.
        var (pattern, onHost, field) = p.HostPattern is not null ? (p.HostPattern, true, "host_pattern") : (p.PathPattern, false, "path_pattern");
        if (p.HostPattern is not null && p.PathPattern is not null)
        {
            context.AddWarning($"{path}.path_pattern", "ignored: host_pattern is set too", "keep one of host_pattern and path_pattern");
        }

        if (string.IsNullOrEmpty(pattern))
        {
            return ValueTemplate.Literal(value);
        }

        var template = ValueTemplate.Create(value, pattern, onHost, out var error);
        if (template is null)
        {
            context.AddError($"{path}.{field}", $"'{pattern}' is not a valid regular expression: {error}", "fix the expression (.NET regular expression syntax, which covers RE2's)");
        }

        return template;
    }

    private static JsonPath? ParsePath(string text, string path, PluginConfigContext context)
    {
        var parsed = JsonPath.Parse(text, out var error);
        if (parsed is null)
        {
            context.AddError(path, error!, "use keys separated by '.', '\\.' for a dot inside a key, numbers for array elements and '#' for every element");
        }

        return parsed;
    }

    private static DedupeStrategy StrategyOf(string? text, string path, PluginConfigContext context)
    {
        switch (text?.ToUpperInvariant())
        {
            case null or "RETAIN_FIRST":
                return DedupeStrategy.RetainFirst;
            case "RETAIN_LAST":
                return DedupeStrategy.RetainLast;
            case "RETAIN_UNIQUE":
                return DedupeStrategy.RetainUnique;
            case "SPLIT_AND_RETAIN_FIRST":
                return DedupeStrategy.SplitAndRetainFirst;
            case "SPLIT_AND_RETAIN_LAST":
                return DedupeStrategy.SplitAndRetainLast;
            default:
                context.AddError(path, $"'{text}' is not a dedupe strategy", $"use one of: {Strategies}");
                return DedupeStrategy.RetainFirst;
        }
    }

    // Higress converts with Go's strconv and encoding/json: number as float64, boolean as ParseBool, object as any JSON.
    private static bool TryConvert(string valueType, string text, out JsonNode? value)
    {
        value = null;
        switch (valueType)
        {
            case "number":
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
                {
                    value = JsonValue.Create(number);
                    return true;
                }

                return false;
            case "boolean":
                bool? flag = text switch
                {
                    "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
                    "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
                    _ => null,
                };
                value = flag is { } b ? JsonValue.Create(b) : null;
                return flag is not null;
            default:
                try
                {
                    value = JsonNode.Parse(text);
                    return true;
                }
                catch (JsonException)
                {
                    return false;
                }
        }
    }
}
