using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Higress.Kubernetes.Tests.Crds;

/// <summary>
/// The part of the Kubernetes API server's CRD handling that no API server here can do: whether an openAPIV3Schema is
/// structural, and whether an object validates against it, with strict field validation (an unknown field is an error,
/// as <c>kubectl apply</c> reports it). OpenAPI v3 as Kubernetes reads it: no references, every node typed unless it is
/// <c>x-kubernetes-int-or-string</c> or <c>x-kubernetes-preserve-unknown-fields</c>, <c>nullable</c> instead of a null
/// type. <c>format</c> is informational here.
/// </summary>
internal static class StructuralSchema
{
    private static readonly HashSet<string> Types = ["object", "array", "string", "integer", "number", "boolean"];

    private static readonly HashSet<string> Keywords =
    [
        "type", "description", "properties", "additionalProperties", "items", "required", "enum", "pattern", "minimum",
        "maximum", "format", "maxItems", "maxLength", "nullable", "x-kubernetes-int-or-string",
        "x-kubernetes-preserve-unknown-fields", "x-kubernetes-list-type", "x-kubernetes-list-map-keys",
    ];

    /// <summary>Why <paramref name="schema"/> is not a structural schema; empty when it is.</summary>
    public static List<string> StructuralErrors(JsonObject schema)
    {
        var errors = new List<string>();
        Check(schema, "openAPIV3Schema", errors);
        var metadata = schema["properties"]?["metadata"];
        if (metadata is not null && !JsonNode.DeepEquals(metadata, new JsonObject { ["type"] = "object" }))
        {
            errors.Add("openAPIV3Schema.properties.metadata: only {type: object} is allowed at the root");
        }

        return errors;
    }

    /// <summary>What is wrong with <paramref name="value"/> under <paramref name="schema"/>; empty when it validates.</summary>
    public static List<string> Validate(JsonObject value, JsonObject schema)
    {
        // metadata is the API server's ObjectMeta, checked by the server itself, not by the CRD's schema.
        var errors = new List<string>();
        var body = value.DeepClone().AsObject();
        body.Remove("metadata");
        Validate(body, schema, string.Empty, errors);
        var metadata = value["metadata"] as JsonObject;
        if (metadata?["name"] is not JsonValue name || name.GetValueKind() != JsonValueKind.String)
        {
            errors.Add("metadata.name: required");
        }

        foreach (var map in (string[])["labels", "annotations"])
        {
            if (metadata?[map] is { } entries && (entries is not JsonObject obj || obj.Any(e => e.Value?.GetValueKind() != JsonValueKind.String)))
            {
                errors.Add($"metadata.{map}: must map strings to strings");
            }
        }

        return errors;
    }

    private static void Check(JsonObject node, string path, List<string> errors)
    {
        errors.AddRange(node.Where(p => !Keywords.Contains(p.Key)).Select(p => $"{path}: '{p.Key}' is not allowed in a structural schema"));
        var intOrString = node["x-kubernetes-int-or-string"]?.GetValue<bool>() == true;
        var preserve = node["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
        var type = node["type"]?.GetValue<string>();
        if (type is null && !intOrString && !preserve)
        {
            errors.Add($"{path}: a type is required");
        }
        else if (type is not null && (!Types.Contains(type) || intOrString))
        {
            errors.Add($"{path}: type '{type}' is not allowed here");
        }

        if (node["properties"] is JsonObject properties)
        {
            if (node["additionalProperties"] is not null)
            {
                errors.Add($"{path}: properties and additionalProperties are mutually exclusive");
            }

            foreach (var (name, child) in properties)
            {
                Check(child!.AsObject(), $"{path}.properties.{name}", errors);
            }

            var missing = node["required"]?.AsArray().Select(r => r!.GetValue<string>()).Where(r => !properties.ContainsKey(r));
            errors.AddRange((missing ?? []).Select(r => $"{path}.required: '{r}' is not a property"));
        }

        if (node["additionalProperties"] is { } additional)
        {
            if (additional is not JsonObject map)
            {
                errors.Add($"{path}.additionalProperties: must be a schema (false is not allowed)");
            }
            else
            {
                Check(map, path + ".additionalProperties", errors);
            }
        }

        if (type == "array")
        {
            if (node["items"] is JsonObject items)
            {
                Check(items, path + ".items", errors);
            }
            else
            {
                errors.Add($"{path}: an array needs items");
            }
        }
    }

    private static void Validate(JsonNode? value, JsonObject schema, string path, List<string> errors)
    {
        var at = path.Length == 0 ? "(root)" : path;
        if (value is null)
        {
            if (schema["nullable"]?.GetValue<bool>() != true)
            {
                errors.Add($"{at}: null is not allowed; remove the field");
            }

            return;
        }

        if (schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true)
        {
            if (!IsInteger(value) && Kind(value) != JsonValueKind.String)
            {
                errors.Add($"{at}: must be an integer or a string");
            }

            return;
        }

        if (schema["type"]?.GetValue<string>() is { } type && !HasType(value, type))
        {
            errors.Add($"{at}: must be of type {type}, not {Kind(value).ToString().ToLowerInvariant()}");
            return;
        }

        if (schema["enum"] is JsonArray values && !values.Any(v => JsonNode.DeepEquals(v, value)))
        {
            errors.Add($"{at}: '{value.ToJsonString()}' is not one of {values.ToJsonString()}");
        }

        ValueChecks(value, schema, at, errors);
        switch (value)
        {
            case JsonObject obj:
                Object(obj, schema, path, errors);
                break;
            case JsonArray array when schema["items"] is JsonObject items:
                for (var i = 0; i < array.Count; i++)
                {
                    Validate(array[i], items, $"{path}[{i}]", errors);
                }

                break;
        }
    }

    private static void Object(JsonObject obj, JsonObject schema, string path, List<string> errors)
    {
        var prefix = path.Length == 0 ? string.Empty : path + ".";
        foreach (var required in schema["required"]?.AsArray() ?? [])
        {
            if (!obj.ContainsKey(required!.GetValue<string>()))
            {
                errors.Add($"{prefix}{required}: required");
            }
        }

        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"] as JsonObject;
        var preserve = schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
        foreach (var (name, child) in obj)
        {
            if (properties?[name] is JsonObject property)
            {
                Validate(child, property, prefix + name, errors);
            }
            else if (additional is not null)
            {
                Validate(child, additional, prefix + name, errors);
            }
            else if (!preserve)
            {
                errors.Add($"{prefix}{name}: unknown field");
            }
        }
    }

    private static void ValueChecks(JsonNode value, JsonObject schema, string at, List<string> errors)
    {
        if (schema["pattern"]?.GetValue<string>() is { } pattern && value is JsonValue s && Kind(s) == JsonValueKind.String
            && !Regex.IsMatch(s.GetValue<string>(), pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
        {
            errors.Add($"{at}: '{s}' does not match {pattern}");
        }

        if (Kind(value) == JsonValueKind.Number)
        {
            var number = Number(value);
            if (schema["minimum"] is { } min && number < Number(min))
            {
                errors.Add($"{at}: {number.ToString(CultureInfo.InvariantCulture)} is below the minimum {min}");
            }

            if (schema["maximum"] is { } max && number > Number(max))
            {
                errors.Add($"{at}: {number.ToString(CultureInfo.InvariantCulture)} is above the maximum {max}");
            }
        }

        if (schema["maxItems"] is { } maxItems && value is JsonArray array && array.Count > Number(maxItems))
        {
            errors.Add($"{at}: more than {maxItems} items");
        }

        if (schema["maxLength"] is { } maxLength && Kind(value) == JsonValueKind.String && value.GetValue<string>().Length > Number(maxLength))
        {
            errors.Add($"{at}: longer than {maxLength} characters");
        }
    }

    private static bool HasType(JsonNode value, string type) => type switch
    {
        "object" => value is JsonObject,
        "array" => value is JsonArray,
        "string" => Kind(value) == JsonValueKind.String,
        "integer" => IsInteger(value),
        "number" => Kind(value) == JsonValueKind.Number,
        "boolean" => Kind(value) is JsonValueKind.True or JsonValueKind.False,
        _ => false,
    };

    private static bool IsInteger(JsonNode value) => Kind(value) == JsonValueKind.Number && Number(value) is var d && d == Math.Floor(d);

    private static JsonValueKind Kind(JsonNode value) => value.GetValueKind();

    // Whatever CLR type holds the number (the YAML reader's, or the generator's int).
    private static double Number(JsonNode value) => double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture);
}
